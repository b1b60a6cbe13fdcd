//! The `overlap` command-line tool: the same core, and the same message bytes, as the browser.
//!
//! ```text
//! overlap offer  --csv A.csv --state a.state --out 1.msg [--sharing counts|overlaps|fields]
//! overlap reply  --csv B.csv --offer 1.msg --state b.state --out 2.msg [--sharing …]
//! overlap finish --state a.state --reply 2.msg --out 3.msg --report a.csv [--matrix a-matrix.csv]
//! overlap finish --state b.state --confirm 3.msg --report b.csv [--matrix …] [--out 4.msg]
//! overlap finish --state a.state --fields 4.msg --report a.csv     (when B shares fields)
//! overlap quick start  --csv A.csv --state a.quick --out 1.msg
//! overlap quick answer --csv B.csv --partner 1.msg --out 2.msg --report b.csv
//! overlap quick finish --csv A.csv --state a.quick --partner 2.msg --report a.csv
//! overlap quick suggest-secret
//! overlap normalize domain < websites.txt
//! overlap inspect 1.msg
//! ```
//! Secrets are never taken on the command line (other users can see it): quick mode reads the
//! shared secret from `--secret-file` or the `OVERLAP_SECRET` environment variable; the private
//! protocol's secret scalar lives in the state file (keep it private; delete it when done).

mod args;
mod commands;
mod files;
mod plan;

use std::ffi::OsString;
use std::process::ExitCode;

use lexopt::ValueExt;

use args::Args;
use commands::{cmd_columns, cmd_finish, cmd_inspect, cmd_normalize, cmd_offer, cmd_quick, cmd_reply};

/// Errors are sentences for the terminal, naming the file or flag; never a cell value.
pub(crate) type Result<T> = std::result::Result<T, String>;

pub(crate) const USAGE: &str = "\
overlap: private account mapping for B2B co-selling

PRIVATE PROTOCOL (ECDH over ristretto255; the partner learns only what you share):
  overlap offer  --csv FILE --state FILE --out FILE [SHARING] [READING]
      Partner A starts: writes the offer for B and A's session state.
  overlap reply  --csv FILE --offer FILE --state FILE --out FILE [SHARING] [READING]
      Partner B answers A's offer: writes the reply for A and B's session state.
  overlap finish --state FILE (--reply | --confirm | --fields) FILE --report FILE
                 [--matrix FILE] [--out FILE] [--csv FILE]
      Takes the partner's next message, writes my report (my overlapping rows with all their
      columns plus overlap_partner_populations, overlap_matched_on, overlap_confidence) and, when
      the exchange goes on, the next message (--out). With PLAN options, once the session is
      finished, also the co-selling plan (as `overlap plan` writes it).
  overlap plan   --state FILE [--csv FILE] [PLAN] [--out FILE]
      A finished session's co-selling plan: every overlapping account's shape (joint pursuit,
      customer expansion, source to source; shared customers and shared targets labelled as
      not deals), its score and reasons; the suggested shortlist of high-confidence deals
      printed and written to --plan; --out writes the plan as a message for the partner (it
      names no account; both sides must have shared at least overlaps).
  overlap plan   --state FILE --partner-plan FILE [--plan FILE]
      Reads the partner's plan message onto my own accounts.

  PLAN:    --plan FILE       the shortlist as CSV (account, shape, lead/support/closes, owners,
                             next step, forecast, notes, score, why)
           --ranked FILE     every overlapping account, best first, as CSV
           --plan-size N     accounts to suggest (default 12; a plan names 8 to 15)
           --likely          also suggest name + city matches (default: domain/identifier only)
           --shape MINE×THEIRS=SHAPE[/LEAD]   change a cell of the rule table (roles customer,
                             opportunity, prospect, other; `x` for `×`), e.g.
                             --shape customer×customer=joint-pursuit
           --today YYYY-MM-DD   the day recency is counted from (default: today)

  SHARING: --sharing counts|overlaps|fields|co-sell   what the partner may learn (default:
                                      counts; co-sell: overlaps plus the owner and deal stage
                                      columns, for a joint plan)
           --share \"COL1,COL2\"               columns shared for overlapping accounts (fields)
           --max-partner-set N                refuse a larger partner set (default 5000000)
           --min-population N                 counts: smallest partner population group (default 5)
           --max-populations N                counts: most partner populations (default 8)
  READING: --column FIELD=HEADER      use this column for FIELD: website, domain, email (repeat for
                                      several), name, country, duns, linkedin, population, city,
                                      region, postal, owner, amount, revenue, deal-stage,
                                      last-activity
           --population NAME=COLUMN:V1|V2   a population of the rows whose COLUMN is V1 or V2
                                      (repeat; NAME=COLUMN:* rows with an open deal stage,
                                      NAME=* every row, NAME=rest the others); NAME may end with
                                      its role: (customer), (opportunity), (prospect), (other);
                                      default: Customers, Open Opportunities, Prospects, Other
                                      from the type/stage column, and Open deals from a deal
                                      stage column
           --names paired|always|fallback|never   company-name keys (default paired: names match
                                      only when one of the two rows has no other key)
           --delimiter comma|semicolon|tab|pipe   --encoding utf-8|utf-16le|windows-1252|…
           --no-header   --issues FILE (row notices as CSV: line, kind, reason)
  CSV FILES: --csv-for excel|crm    how --report, --matrix and --issues are written: excel (the
                                      default: UTF-8 with BOM, cells that start like a formula
                                      prefixed with ') or crm (for a CRM import: no BOM, phone
                                      numbers and signed numbers such as +46 70 123 45 67 or
                                      -12.5 left as they are, formulas still prefixed)

QUICK MODE (keyed hashes under a shared secret: weaker, the partner can test guesses):
  overlap quick suggest-secret
      Prints a strong secret (six short words from the system's CSPRNG) to read to the partner.
  overlap quick start  --csv FILE --state FILE --out FILE [READING]
      The first partner: a new session and its list for the partner. The state file keeps only
      the session id (not the secret) until the answer comes.
  overlap quick answer --csv FILE --partner FILE --out FILE --report FILE [--matrix FILE]
      The second partner: checks the first partner's list, writes its own list for that
      session (--out) and its report at once.
  overlap quick finish --csv FILE --state FILE --partner FILE --report FILE [--matrix FILE]
      The first partner: matches the answer, which must belong to the session it started.
  The secret is read from --secret-file FILE or the OVERLAP_SECRET environment variable: at
  least 12 characters and not easy to guess (common words, keyboard runs, sequences, repeats
  and years are refused, with the reason). Deriving the key takes about half a second (Argon2id).

OTHER:
  overlap normalize <domain|email|name|country|duns|linkedin>
      One value per line on stdin; writes the normalized value, or an empty line when refused.
  overlap inspect FILE
      What a message holds: kind, session, sharing, populations, sizes (never a key).
  overlap columns --csv FILE [READING]
      How the file would be read: encoding, delimiter, columns with confidences, populations.
";

fn main() -> ExitCode {
    match run(std::env::args_os().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("overlap: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(args: Vec<OsString>) -> Result<()> {
    let mut parser = lexopt::Parser::from_args(args);
    let command = match parser.next().map_err(|e| e.to_string())? {
        Some(lexopt::Arg::Value(v)) => v.string().map_err(|_| "the command must be UTF-8".to_string())?,
        Some(lexopt::Arg::Long("help")) | Some(lexopt::Arg::Short('h')) | None => {
            print!("{USAGE}");
            return Ok(());
        }
        Some(other) => return Err(format!("{}\n\n{USAGE}", other.unexpected())),
    };
    match command.as_str() {
        "offer" => cmd_offer(Args::parse(parser)?),
        "reply" => cmd_reply(Args::parse(parser)?),
        "finish" => cmd_finish(Args::parse(parser)?),
        "quick" => cmd_quick(parser),
        "normalize" => cmd_normalize(parser),
        "inspect" => cmd_inspect(parser),
        "columns" => cmd_columns(Args::parse(parser)?),
        "plan" => plan::cmd_plan(Args::parse(parser)?),
        "help" => {
            print!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command \"{other}\"\n\n{USAGE}")),
    }
}
