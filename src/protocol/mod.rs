//! The matching protocols and their messages.
//!
//! Quick mode ([`quick`]) keys every element with HMAC-SHA256 under a secret both partners share:
//! one message each way, fast, but a partner holding the secret can test guesses against the list.

pub mod quick;
pub mod wire;

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
    /// The same element twice (or elements out of order where order is required).
    DuplicateElement {
        /// 0-based index of the element.
        index: usize,
    },
    /// A count field disagrees with what follows it.
    CountMismatch {
        /// What was counted.
        what: &'static str,
        /// What the header says.
        expected: usize,
        /// What is there.
        found: usize,
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
                "the partner normalized with rules {theirs} but this version uses {mine}: both partners need the same overlap version"
            ),
            WrongSecret => write!(
                f,
                "the partner's list was made with a different shared secret: agree on the secret again and redo both lists"
            ),
            DuplicateElement { index } => write!(f, "element {index} repeats an earlier one (or is out of order)"),
            CountMismatch { what, expected, found } => {
                write!(f, "the message announces {expected} {what} but holds {found}")
            }
            Oversize { what, limit, found } => write!(f, "the partner's {what} is {found}, above the limit of {limit}"),
        }
    }
}

impl std::error::Error for MessageError {}
