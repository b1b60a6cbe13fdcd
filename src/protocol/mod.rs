//! The matching protocols and their messages.
//!
//! Quick mode ([`quick`]) keys every element with HMAC-SHA256 under keys derived (Argon2id) from a
//! secret both partners typed ([`passphrase`] checks it): one list each way, fast, but a partner
//! holding the secret can test guesses against the list.

mod elements;
pub mod group;
pub mod guard;
pub mod job;
pub mod messages;
pub mod oprf;
pub mod party;
pub mod passphrase;
pub mod plan;
pub mod quick;
mod settings;
pub mod state;
pub mod transcript;
pub mod wire;

pub use crate::model::Sharing;
pub use job::{run_job, Job, JobOutput, Piece};
pub use party::{Advance, Party, Pending, Role, Settings, Step};

use std::fmt;

/// Everything that can be wrong with a message, each fault its own variant.
///
/// Messages name what was wrong, never a value from either party's data.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum MessageError {
    /// The bytes do not start with the overlap magic: not an overlap message at all.
    BadMagic,
    /// The message ends before `what`.
    Truncated {
        /// The field that was cut off.
        what: &'static str,
    },
    /// A framing version this build does not read.
    UnknownVersion {
        /// Version byte found.
        found: u8,
        /// Version this build reads.
        supported: u8,
    },
    /// A message kind byte this build does not know.
    UnknownKind {
        /// Kind byte found.
        found: u8,
    },
    /// The checksum does not match: the file was altered or damaged in transit.
    Corrupted,
    /// A field holds a value that cannot be.
    Malformed {
        /// The field.
        what: &'static str,
    },
    /// Bytes after the last field.
    TrailingBytes {
        /// How many.
        count: usize,
    },
    /// A message of another kind than the step expects.
    OutOfOrder {
        /// The kind the step expects.
        expected: &'static str,
        /// The kind received.
        found: &'static str,
    },
    /// A message from another session.
    OtherSession,
    /// The partner normalized with other rules.
    NormalizationMismatch {
        /// This build's version.
        mine: String,
        /// The partner's version.
        theirs: String,
    },
    /// The partner keyed its list with another shared secret.
    WrongSecret,
    /// Quick mode: the list's authentication code does not match although the secret does: the
    /// list was changed after it was made (elements dropped, relabelled, added).
    Altered,
    /// Quick mode: a list made by the other role than the step expects (e.g. my own first list
    /// sent back to me).
    WrongRole {
        /// The role the step expects.
        expected: &'static str,
        /// The role the list was made by.
        found: &'static str,
    },
    /// The same element twice (or elements out of order where order is required).
    DuplicateElement {
        /// 0-based index of the element.
        index: usize,
    },
    /// An element is not a valid ristretto255 point (or is the identity).
    InvalidPoint {
        /// 0-based index of the element in its list.
        index: usize,
    },
    /// The message belongs to this session but does not follow its last message (stale, replayed
    /// or altered).
    TranscriptMismatch,
    /// A count field disagrees with what follows it.
    CountMismatch {
        /// What was counted.
        what: &'static str,
        /// What the header says.
        expected: usize,
        /// What is there.
        found: usize,
    },
    /// The partner claims one of our elements matched but cannot prove it holds that element (a
    /// forged or altered confirm).
    UnprovenClaim {
        /// 0-based index of the claim.
        index: usize,
    },
    /// More than the configured limit.
    Oversize {
        /// What is too large.
        what: &'static str,
        /// The limit.
        limit: usize,
        /// The size found.
        found: usize,
    },
}

impl fmt::Display for MessageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use MessageError::*;
        match self {
            BadMagic => write!(f, "not an overlap message (it does not start with the overlap signature)"),
            Truncated { what } => write!(f, "the message is truncated: it ends inside the {what}"),
            UnknownVersion { found, supported } => write!(
                f,
                "the message uses format version {found}; this version of overlap reads version {supported}: both partners need the same overlap version"
            ),
            UnknownKind { found } => write!(f, "unknown message kind {found}"),
            Corrupted => write!(f, "the message is damaged or was altered (its checksum does not match)"),
            Malformed { what } => write!(f, "the message's {what} is malformed"),
            TrailingBytes { count } => write!(f, "the message has {count} unexpected bytes at its end"),
            OutOfOrder { expected, found } => {
                write!(f, "expected the partner's {expected} but this is a {found} message: messages out of order")
            }
            OtherSession => write!(f, "this message belongs to another mapping session"),
            NormalizationMismatch { mine, theirs } => write!(
                f,
                "the partner normalized with rules {} but this version uses {mine}: both partners need the same overlap version",
                crate::text::printable(theirs) // the partner's string
            ),
            WrongSecret => write!(
                f,
                "the partner's list was made with a different shared secret: agree on the secret again and redo both lists"
            ),
            Altered => write!(
                f,
                "the list was changed after it was made (its authentication code does not match): ask the partner for the file again"
            ),
            WrongRole { expected, found } => write!(
                f,
                "this list was made by the {found} partner of a quick-mode session, but the {expected} partner's list is needed here ({})",
                if *found == "first" {
                    "it starts a session instead of answering one: your own list sent back, or the partner started a session of its own"
                } else {
                    "it answers a session: load the list the partner started the session with"
                }
            ),
            InvalidPoint { index } => write!(f, "element {index} is not a valid group element"),
            TranscriptMismatch => write!(
                f,
                "this message does not follow the last message of this session (an older or altered message?)"
            ),
            DuplicateElement { index } => write!(f, "element {index} repeats an earlier one (or is out of order)"),
            CountMismatch { what, expected, found } => {
                write!(f, "the message announces {expected} {what} but holds {found}")
            }
            UnprovenClaim { index } => write!(
                f,
                "the partner claims a match it cannot prove (claim {index}): the confirm was forged or altered; nothing was sent"
            ),
            Oversize { what, limit, found } => write!(f, "the partner's {what} is {found}, above the limit of {limit}"),
        }
    }
}

impl std::error::Error for MessageError {}

/// Why a protocol step cannot go on. Never quotes a value from either party's data.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProtocolError {
    /// The partner's message is invalid for this step.
    Message(MessageError),
    /// The partner's population structure could single out accounts while we share counts only.
    Unsafe(String),
    /// Our own settings cannot be used.
    Settings(String),
    /// The CSV (or its column and population settings) is not the one the session started from.
    DatasetMismatch {
        /// The file is the same; its settings differ.
        same_file: bool,
    },
    /// The saved party state cannot be read.
    State(String),
    /// A field the state should hold is missing.
    BadState(&'static str),
    /// The session is finished; there is nothing more to receive.
    Finished,
    /// Results handed to a step do not fit its job.
    BadJobOutput,
    /// The platform gave no randomness.
    Randomness,
    /// A plan cannot be sent or read in this session (why, in words; never an account).
    Plan(String),
}

impl fmt::Display for ProtocolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProtocolError::Message(e) => e.fmt(f),
            ProtocolError::Unsafe(why) => write!(f, "refused: {why}"),
            ProtocolError::Settings(why) => f.write_str(why),
            ProtocolError::DatasetMismatch { same_file: true } => f.write_str(
                "this session was started from the same file read with other column or population settings: use the same settings",
            ),
            ProtocolError::DatasetMismatch { same_file: false } => {
                f.write_str("this is not the CSV file this session was started from")
            }
            ProtocolError::State(why) => write!(f, "the saved session cannot be used: {why}"),
            ProtocolError::BadState(what) => write!(f, "the saved session is incomplete ({what} missing)"),
            ProtocolError::Finished => f.write_str("this session is finished: there is no further message to take"),
            ProtocolError::BadJobOutput => f.write_str("internal error: blinding results do not fit the step"),
            ProtocolError::Randomness => f.write_str("this platform gave no secure randomness"),
            ProtocolError::Plan(why) => write!(f, "plan: {why}"),
        }
    }
}

impl std::error::Error for ProtocolError {}

impl From<MessageError> for ProtocolError {
    fn from(e: MessageError) -> Self {
        ProtocolError::Message(e)
    }
}

impl ProtocolError {
    /// A stable machine-readable code: `message/<fault>`, `unsafe`, `settings`, `dataset`, `state`,
    /// `finished`, `internal`, `randomness`, `plan`.
    pub fn code(&self) -> String {
        match self {
            ProtocolError::Message(m) => format!("message/{}", m.code()),
            ProtocolError::Unsafe(_) => "unsafe".into(),
            ProtocolError::Settings(_) => "settings".into(),
            ProtocolError::DatasetMismatch { .. } => "dataset".into(),
            ProtocolError::State(_) | ProtocolError::BadState(_) => "state".into(),
            ProtocolError::Finished => "finished".into(),
            ProtocolError::BadJobOutput => "internal".into(),
            ProtocolError::Randomness => "randomness".into(),
            ProtocolError::Plan(_) => "plan".into(),
        }
    }
}

impl MessageError {
    /// A stable machine-readable code for each fault, e.g. `truncated`, `bad_magic`.
    pub fn code(&self) -> &'static str {
        use MessageError::*;
        match self {
            BadMagic => "bad_magic",
            Truncated { .. } => "truncated",
            UnknownVersion { .. } => "unknown_version",
            UnknownKind { .. } => "unknown_kind",
            Corrupted => "corrupted",
            Malformed { .. } => "malformed",
            TrailingBytes { .. } => "trailing_bytes",
            OutOfOrder { .. } => "out_of_order",
            OtherSession => "other_session",
            NormalizationMismatch { .. } => "normalization_mismatch",
            WrongSecret => "wrong_secret",
            Altered => "altered",
            WrongRole { .. } => "wrong_role",
            InvalidPoint { .. } => "invalid_point",
            TranscriptMismatch => "transcript_mismatch",
            DuplicateElement { .. } => "duplicate_element",
            CountMismatch { .. } => "count_mismatch",
            UnprovenClaim { .. } => "unproven_claim",
            Oversize { .. } => "oversize",
        }
    }
}
