//! Files: reading, writing (state files readable by their owner only), the CLI's state files.

use std::io::Write;
use std::path::{Path, PathBuf};

use overlap::ingest;
use overlap::protocol::wire::{self, Reader, Writer};
use overlap::protocol::{quick, Party};

use crate::args::ingest_options;
use crate::Result;

pub(crate) fn need<'a, T>(v: &'a Option<T>, flag: &str) -> Result<&'a T> {
    v.as_ref().ok_or_else(|| format!("missing {flag}"))
}

pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

pub(crate) fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// Writes a state file readable by its owner only: it holds the session's secret scalar.
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    f.write_all(bytes).map_err(|e| format!("{}: {e}", path.display()))
}

pub(crate) fn load_csv(path: &Path, reading: &[String]) -> Result<ingest::Dataset> {
    let mut options = ingest_options(reading)?;
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    options.size_hint(file.metadata().ok().map(|m| m.len()));
    ingest::read_from(std::io::BufReader::with_capacity(1 << 20, file), &options).map_err(|e| format!("{}: {e}", path.display()))
}

/// The CLI's state file: the CSV's path and reading options, then the party's state bytes.
pub(crate) const CLI_STATE: [u8; 4] = *b"OVLC";

pub(crate) fn save_state(path: &Path, csv: &Path, reading: &[String], party: &Party) -> Result<()> {
    let csv = std::fs::canonicalize(csv).unwrap_or_else(|_| csv.to_path_buf());
    let mut w = Writer::record(&CLI_STATE, 1);
    w.str16(&csv.to_string_lossy());
    w.u8(reading.len() as u8);
    for r in reading {
        w.str16(r);
    }
    let bytes = party.to_bytes();
    w.u32(bytes.len() as u32);
    w.bytes(&bytes);
    write_private(path, &w.finish())
}

pub(crate) fn load_state(path: &Path) -> Result<(PathBuf, Vec<String>, Party)> {
    let bytes = read_file(path)?;
    let fail = |why: String| format!("{}: {why}", path.display());
    let mut r: Reader<'_> =
        wire::open_record(&bytes, &CLI_STATE, 1).map_err(|_| fail("not an overlap state file (or damaged)".into()))?;
    let inner = (|| -> std::result::Result<_, overlap::protocol::MessageError> {
        let csv = PathBuf::from(r.str16("csv path")?);
        let n = r.u8("reading options")?;
        let reading = (0..n).map(|_| r.str16("reading option")).collect::<std::result::Result<Vec<_>, _>>()?;
        let len = r.u32("party state")? as usize;
        let party = r.bytes(len, "party state")?.to_vec();
        r.end()?;
        Ok((csv, reading, party))
    })()
    .map_err(|e| fail(format!("damaged state file ({e})")))?;
    let party = Party::from_bytes(&inner.2).map_err(|e| fail(e.to_string()))?;
    Ok((inner.0, inner.1, party))
}

/// The quick-mode state file of the first partner: the session id, nothing else.
pub(crate) const QUICK_STATE: [u8; 4] = *b"OVLQ";

pub(crate) fn save_quick_state(path: &Path, session: &quick::SessionId) -> Result<()> {
    let mut w = Writer::record(&QUICK_STATE, 1);
    w.bytes(session);
    write_private(path, &w.finish())
}

pub(crate) fn load_quick_state(path: &Path) -> Result<quick::SessionId> {
    let bytes = read_file(path)?;
    let fail = || format!("{}: not a quick-mode state file of overlap quick start (or damaged)", path.display());
    let mut r = wire::open_record(&bytes, &QUICK_STATE, 1).map_err(|_| fail())?;
    let session = r.array::<16>("session id").map_err(|_| fail())?;
    r.end().map_err(|_| fail())?;
    Ok(session)
}
