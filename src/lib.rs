//! # overlap: private account mapping for B2B co-selling
//!
//! Two companies that sell together need to know which accounts they share. overlap does it
//! without either side handing over its CRM: each side normalizes its rows into typed keys,
//! blinds them, and the two exchange small messages from which each learns the overlap (or only
//! its counts), never the rest of the other's list.
//!
//! One row's path through the crate:
//!
//! 1. [`ingest`]: CSV bytes, streamed in chunks in whatever encoding and delimiter the CRM wrote
//!    → a [`ingest::Dataset`] (columns recognised with confidences, populations, distinct keys,
//!    and a notice for every row that could not be used).
//! 2. [`normalize`]: each cell → a typed [`keys::Key`] (`domain:acme.com`) or a refusal reason.
//! 3. [`protocol`]: keys → messages exchanged with the partner.
//! 4. [`report`]: the partner's message → a [`report::Report`] (matrix, my overlapping rows).
//! 5. [`plan`]: the report → each account's co-selling shape and joint potential, the
//!    shortlist and the joint account plan.
//!
//! The core knows nothing of JavaScript nor of command lines: the `overlap-wasm` crate is the
//! facade the npm package is built from, and `overlap-cli` the command-line tool.
#![deny(missing_docs)]

pub mod csv_out;
pub mod ingest;
pub mod keys;
pub mod model;
pub mod normalize;
pub mod plan;
pub mod protocol;
pub mod report;
mod sort;
pub mod text;
