//! `overlap plan` (and the plan options of `finish`): the overlapping accounts ranked by joint
//! potential, the suggested joint plan, and the plan message for the partner — the same core
//! calls and the same CSV bytes as the page.

use std::path::Path;

use overlap::ingest::{self, Field};
use overlap::plan::{self, Plan, Ranked};
use overlap::protocol::plan::PlanStatus;
use overlap::protocol::{Party, Step};
use overlap::report::Report;
use overlap::text::printable;

use crate::args::{Args, PlanArgs};
use crate::files::*;
use crate::Result;

/// Today, in days since 1970-01-01, from the system clock.
fn today() -> i64 {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    (secs / 86_400) as i64
}

/// Whether any plan output was asked for.
pub(crate) fn wanted(p: &PlanArgs) -> bool {
    p.plan.is_some() || p.ranked.is_some() || p.partner_plan.is_some()
}

/// Writes `--ranked` and `--plan` for a finished session's report, and prints the shortlist.
pub(crate) fn write_plan(args: &Args, dataset: &ingest::Dataset, report: &Report) -> Result<(Vec<Ranked>, Plan)> {
    let p = &args.plan;
    if report.matches.is_empty() && report.partner_sharing.is_some_and(|s| !s.reveals_rows()) {
        return Err("the partner shared counts only: a counts result supports sizing the overlap by population, not a \
                    named plan (a named plan needs both sides to share at least overlaps)"
            .into());
    }
    let ranking = plan::rank(dataset, report, &p.table, p.today.unwrap_or_else(today));
    let suggested = Plan::suggest(&ranking, p.size.unwrap_or(plan::SUGGESTED), p.likely);
    if let Some(path) = &p.ranked {
        let all = Plan { entries: ranking.iter().map(plan::Entry::from_ranked).collect() };
        write_file(path, &all.to_csv(dataset, &ranking, args.csv_for))?;
        eprintln!("ranked: {} ({} overlapping accounts, best first)", path.display(), ranking.len());
    }
    if let Some(path) = &p.plan {
        write_file(path, &suggested.to_csv(dataset, &ranking, args.csv_for))?;
        eprintln!("plan: {} ({} accounts)", path.display(), suggested.entries.len());
    }
    print_plan("suggested plan: high-confidence co-selling deals by joint potential", dataset, &ranking, &suggested);
    for w in suggested.warnings() {
        eprintln!("warning: {w}");
    }
    Ok((ranking, suggested))
}

fn print_plan(title: &str, dataset: &ingest::Dataset, ranking: &[Ranked], p: &Plan) {
    let name = dataset.mapping().get(Field::Name).map(|c| c.column);
    println!("{title} ({} accounts):", p.entries.len());
    for (i, e) in p.entries.iter().enumerate() {
        let account = name.and_then(|c| dataset.row_fields(e.row as usize).into_iter().nth(c)).unwrap_or_default();
        let r = ranking.iter().find(|r| r.row == e.row);
        println!(
            "{:>3}. {:<32} {:<18} lead: {:<7} score {:>3}  {}",
            i + 1,
            printable(&account).chars().take(32).collect::<String>(),
            e.shape.map(|s| s.as_str()).unwrap_or_default(),
            e.duties.map(|d| d.lead.as_str()).unwrap_or_default(),
            r.map_or(0, |r| r.score),
            r.map(|r| printable(&r.reasons.join("; ")).into_owned()).unwrap_or_default()
        );
    }
}

/// `overlap plan --state FILE [--csv FILE] …`: the plan of a finished session.
pub(crate) fn cmd_plan(args: Args) -> Result<()> {
    let state_path = need(&args.state, "--state FILE")?;
    let (saved_csv, reading, party) = load_state(state_path)?;
    let csv = args.csv.clone().unwrap_or(saved_csv);
    if party.step() != Step::Done {
        return Err(format!("{}: the session is {}; a plan comes after it", state_path.display(), party.step().describe()));
    }
    let dataset = load_csv(&csv, &reading)?;
    let report = party.report(&dataset).map_err(|e| e.to_string())?.ok_or("no result yet")?;
    if let Some(path) = &args.plan.partner_plan {
        return read_partner_plan(&args, &party, &dataset, &report, path);
    }
    let (_, suggested) = write_plan(&args, &dataset, &report)?;
    if let Some(out) = &args.out {
        let msg = party.plan_message(&dataset, &suggested, PlanStatus::Proposal, 1).map_err(|e| e.to_string())?;
        write_file(out, &msg)?;
        eprintln!("plan: {}; send it to your partner (it names no account)", out.display());
    }
    Ok(())
}

fn read_partner_plan(args: &Args, party: &Party, dataset: &ingest::Dataset, report: &Report, path: &Path) -> Result<()> {
    let msg = read_file(path)?;
    let got = party.read_plan(dataset, &msg).map_err(|e| format!("{}: {e}", path.display()))?;
    let ranking = plan::rank(dataset, report, &args.plan.table, args.plan.today.unwrap_or_else(today));
    eprintln!("the partner's plan ({}, revision {}): {} accounts", got.status.as_str(), got.revision, got.plan.entries.len());
    if let Some(out) = &args.plan.plan {
        write_file(out, &got.plan.to_csv(dataset, &ranking, args.csv_for))?;
        eprintln!("plan: {}", out.display());
    }
    print_plan("the partner's plan, on my accounts (score: mine)", dataset, &ranking, &got.plan);
    Ok(())
}
