//! The binary framing every message shares.
//!
//! ```text
//! offset  size  field
//! 0       4     magic "OVLP"
//! 4       1     format version (2)
//! 5       1     message kind
//! 6       16    session id
//! 22      32    transcript hash (SHA-256 over the previous messages; zero in the first)
//! 54      1+n   normalization version (length byte + ASCII)
//! ...           body, by kind
//! end-32  32    SHA-256 of every byte before it
//! ```
//! Integers are big-endian. Parsing is strict: every read is bounds-checked and every fault has
//! its own [`MessageError`].

use sha2::{Digest, Sha256};

use super::MessageError;

/// The four bytes every message starts with.
pub const MAGIC: [u8; 4] = *b"OVLP";
/// The framing version this build reads and writes.
pub const FORMAT_VERSION: u8 = 2;
/// Bytes before the normalization version.
pub const FIXED_HEADER: usize = 4 + 1 + 1 + 16 + 32;
/// Trailing checksum length.
pub const CHECKSUM: usize = 32;

/// What a message is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A → B, first message of the private protocol.
    Offer,
    /// B → A.
    Reply,
    /// A → B.
    Confirm,
    /// B → A, optional.
    Fields,
    /// Either way, after the session: a joint plan naming no account (positions in B's T).
    Plan,
    /// Quick mode: one party's keyed-hash list (format 2 of the list: 0x11; 0x10, the first
    /// format, is no longer read).
    QuickList,
}

impl Kind {
    /// Wire byte.
    pub fn byte(self) -> u8 {
        match self {
            Kind::Offer => 1,
            Kind::Reply => 2,
            Kind::Confirm => 3,
            Kind::Fields => 4,
            Kind::Plan => 5,
            Kind::QuickList => 0x11,
        }
    }
    /// Kind for a wire byte.
    pub fn from_byte(b: u8) -> Option<Kind> {
        [Kind::Offer, Kind::Reply, Kind::Confirm, Kind::Fields, Kind::Plan, Kind::QuickList].into_iter().find(|k| k.byte() == b)
    }
    /// Human name used in errors.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Offer => "offer",
            Kind::Reply => "reply",
            Kind::Confirm => "confirm",
            Kind::Fields => "fields",
            Kind::Plan => "plan",
            Kind::QuickList => "quick-mode list",
        }
    }
}

/// The common header of a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// What the message is.
    pub kind: Kind,
    /// The session it belongs to.
    pub session: [u8; 16],
    /// SHA-256 over the session's previous messages (zero for the first).
    pub transcript: [u8; 32],
    /// The sender's normalization version.
    pub normalization: String,
}

/// Builds a message: header, body fields, then the checksum.
pub struct Writer {
    buf: Vec<u8>,
}

impl Writer {
    /// Starts a message with its header.
    pub fn new(header: &Header) -> Writer {
        let mut w = Writer { buf: Vec::with_capacity(256) };
        w.buf.extend_from_slice(&MAGIC);
        w.buf.push(FORMAT_VERSION);
        w.buf.push(header.kind.byte());
        w.buf.extend_from_slice(&header.session);
        w.buf.extend_from_slice(&header.transcript);
        w.str8(&header.normalization);
        w
    }
    /// Starts an unframed record (the party state): `magic`, then fields, then the checksum.
    pub fn record(magic: &[u8; 4], version: u8) -> Writer {
        let mut w = Writer { buf: Vec::with_capacity(256) };
        w.buf.extend_from_slice(magic);
        w.buf.push(version);
        w
    }
    /// Reserves room for `n` more bytes.
    pub fn reserve(&mut self, n: usize) {
        self.buf.reserve(n);
    }
    /// One byte.
    pub fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }
    /// Big-endian u16.
    pub fn u16(&mut self, v: u16) {
        self.buf.extend_from_slice(&v.to_be_bytes());
    }
    /// Big-endian u32.
    pub fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_be_bytes());
    }
    /// Raw bytes.
    pub fn bytes(&mut self, v: &[u8]) {
        self.buf.extend_from_slice(v);
    }
    /// A string of at most 255 bytes, length-prefixed (longer strings are cut at a char boundary).
    pub fn str8(&mut self, s: &str) {
        let mut end = s.len().min(255);
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        self.buf.push(end as u8);
        self.buf.extend_from_slice(&s.as_bytes()[..end]);
    }
    /// A string of at most 65535 bytes, length-prefixed (longer strings are cut).
    pub fn str16(&mut self, s: &str) {
        let mut end = s.len().min(u16::MAX as usize);
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        self.u16(end as u16);
        self.buf.extend_from_slice(&s.as_bytes()[..end]);
    }
    /// Appends `code` of every byte so far (quick mode's MAC), then the checksum.
    pub fn seal(mut self, code: impl FnOnce(&[u8]) -> [u8; 32]) -> Vec<u8> {
        let c = code(&self.buf);
        self.buf.extend_from_slice(&c);
        self.finish()
    }
    /// Appends the checksum and returns the message.
    pub fn finish(mut self) -> Vec<u8> {
        let sum = Sha256::digest(&self.buf);
        self.buf.extend_from_slice(&sum);
        self.buf
    }
}

/// Reads a message's body, field by field, strictly.
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

/// Checks a message's framing and returns its header and a reader over its body.
///
/// # Errors
/// [`MessageError::Truncated`], [`MessageError::BadMagic`], [`MessageError::UnknownVersion`],
/// [`MessageError::UnknownKind`] or [`MessageError::Corrupted`] (checksum).
pub fn open(msg: &[u8]) -> Result<(Header, Reader<'_>), MessageError> {
    // A prefix of the magic is a truncated message (said below), anything else is not ours.
    if !msg.starts_with(&MAGIC[..]) && !MAGIC.starts_with(msg) {
        return Err(MessageError::BadMagic);
    }
    if msg.len() < FIXED_HEADER + 1 + CHECKSUM {
        return Err(MessageError::Truncated { what: "header" });
    }
    if msg[4] != FORMAT_VERSION {
        return Err(MessageError::UnknownVersion { found: msg[4], supported: FORMAT_VERSION });
    }
    let kind = Kind::from_byte(msg[5]).ok_or(MessageError::UnknownKind { found: msg[5] })?;
    let (content, sum) = msg.split_at(msg.len() - CHECKSUM);
    if Sha256::digest(content).as_slice() != sum {
        return Err(MessageError::Corrupted);
    }
    let mut r = Reader { buf: content, pos: 6 };
    let session = r.array::<16>("session id")?;
    let transcript = r.array::<32>("transcript hash")?;
    let normalization = r.str8("normalization version")?;
    // The partner's version string is shown in errors: printable ASCII only.
    if normalization.is_empty() || !normalization.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(MessageError::Malformed { what: "normalization version" });
    }
    Ok((Header { kind, session, transcript, normalization }, r))
}

/// Checks an unframed record written by [`Writer::record`] and returns a reader after its magic
/// and version.
///
/// # Errors
/// `Err(None)` when the bytes are not such a record (magic), `Err(Some(found))` for another
/// version, and [`MessageError::Corrupted`]/[`MessageError::Truncated`] for damage.
pub fn open_record<'a>(bytes: &'a [u8], magic: &[u8; 4], version: u8) -> Result<Reader<'a>, RecordError> {
    if bytes.len() < 4 || &bytes[..4] != magic {
        return Err(RecordError::NotARecord);
    }
    if bytes.len() < 5 + CHECKSUM {
        return Err(RecordError::Damaged(MessageError::Truncated { what: "record" }));
    }
    if bytes[4] != version {
        return Err(RecordError::Version(bytes[4]));
    }
    let (content, sum) = bytes.split_at(bytes.len() - CHECKSUM);
    if Sha256::digest(content).as_slice() != sum {
        return Err(RecordError::Damaged(MessageError::Corrupted));
    }
    Ok(Reader { buf: content, pos: 5 })
}

/// Why an unframed record cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecordError {
    /// Wrong magic.
    NotARecord,
    /// Another version.
    Version(u8),
    /// Truncated or altered.
    Damaged(MessageError),
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], MessageError> {
        if self.buf.len() - self.pos < n {
            return Err(MessageError::Truncated { what });
        }
        let s = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }
    /// Bytes left in the body.
    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }
    /// One byte.
    pub fn u8(&mut self, what: &'static str) -> Result<u8, MessageError> {
        Ok(self.take(1, what)?[0])
    }
    /// Big-endian u16.
    pub fn u16(&mut self, what: &'static str) -> Result<u16, MessageError> {
        let b = self.take(2, what)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }
    /// Big-endian u32.
    pub fn u32(&mut self, what: &'static str) -> Result<u32, MessageError> {
        let b = self.take(4, what)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }
    /// A fixed-size array.
    pub fn array<const N: usize>(&mut self, what: &'static str) -> Result<[u8; N], MessageError> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N, what)?);
        Ok(a)
    }
    /// `n` raw bytes.
    pub fn bytes(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], MessageError> {
        self.take(n, what)
    }
    /// A length-prefixed (u8) UTF-8 string.
    pub fn str8(&mut self, what: &'static str) -> Result<String, MessageError> {
        let n = self.u8(what)? as usize;
        let b = self.take(n, what)?;
        String::from_utf8(b.to_vec()).map_err(|_| MessageError::Malformed { what })
    }
    /// A length-prefixed (u16) UTF-8 string.
    pub fn str16(&mut self, what: &'static str) -> Result<String, MessageError> {
        let n = self.u16(what)? as usize;
        let b = self.take(n, what)?;
        String::from_utf8(b.to_vec()).map_err(|_| MessageError::Malformed { what })
    }
    /// Fails unless every byte was read.
    pub fn end(&self) -> Result<(), MessageError> {
        if self.remaining() == 0 {
            Ok(())
        } else {
            Err(MessageError::TrailingBytes { count: self.remaining() })
        }
    }
}
