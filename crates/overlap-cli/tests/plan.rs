//! `overlap plan` and the plan options of `finish` on the development pair, both sides sharing
//! co-sell planning fields (owner and stage): the shortlist, the ranked list, the plan message to
//! the partner and back, and the refusals.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(f: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/crm-pair").join(f)
}

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_overlap")).current_dir(dir).args(args).output().unwrap()
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = run(dir, args);
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

fn records(path: &Path) -> Vec<Vec<String>> {
    let bytes = std::fs::read(path).unwrap();
    assert!(bytes.starts_with(b"\xef\xbb\xbf"), "{}: UTF-8 with a BOM, for Excel", path.display());
    let mut r = csv::ReaderBuilder::new().has_headers(false).from_reader(&bytes[3..]);
    r.records().map(|x| x.unwrap().iter().map(str::to_string).collect()).collect()
}

#[test]
fn a_plan_from_a_finished_session_and_back() {
    let dir = std::env::temp_dir().join(format!("overlap-plan-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (a, b) = (fixture("partner_a.csv"), fixture("partner_b.csv"));
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    // Co-sell planning: overlaps plus the owner and deal-stage columns each file has.
    let share_a = ["--sharing", "co-sell"];
    let share_b = ["--sharing", "fields", "--share", "Company owner,Open Deal Stage"];
    let offered = ok(&dir, &[&["offer", "--csv", a, "--state", "a.state", "--out", "1.overlap"][..], &share_a].concat());
    assert!(
        offered.contains("co-sell planning: sharing overlaps and the columns Account Owner, Open Opportunity Stage"),
        "{offered}"
    );
    ok(
        &dir,
        &[&["reply", "--csv", b, "--offer", "1.overlap", "--state", "b.state", "--out", "2.overlap"][..], &share_b].concat(),
    );
    // Before the end there is no plan.
    let early = run(&dir, &["plan", "--state", "a.state", "--plan", "x.csv"]);
    assert!(!early.status.success());
    assert!(String::from_utf8_lossy(&early.stderr).contains("a plan comes after it"));
    ok(&dir, &["finish", "--state", "a.state", "--reply", "2.overlap", "--out", "3.overlap", "--report", "a.csv"]);
    let b_out = ok(
        &dir,
        &[
            "finish",
            "--state",
            "b.state",
            "--confirm",
            "3.overlap",
            "--out",
            "4.overlap",
            "--report",
            "b.csv",
            "--plan",
            "bplan.csv",
            "--today",
            "2026-12-01",
        ],
    );
    assert!(b_out.contains("suggested plan"), "{b_out}");
    let a_out = ok(
        &dir,
        &[
            "finish",
            "--state",
            "a.state",
            "--fields",
            "4.overlap",
            "--report",
            "a.csv",
            "--plan",
            "aplan.csv",
            "--ranked",
            "aranked.csv",
            "--today",
            "2026-12-01",
        ],
    );
    assert!(a_out.contains("plan: aplan.csv (12 accounts)"), "{a_out}");
    let plan = records(&dir.join("aplan.csv"));
    assert_eq!(
        plan[0],
        [
            "account",
            "website",
            "shape",
            "lead",
            "support",
            "closes",
            "our_owner",
            "partner_owner",
            "next_step",
            "next_step_owner",
            "next_step_date",
            "forecast_date",
            "notes",
            "score",
            "why"
        ]
    );
    assert_eq!(plan.len(), 13);
    let ranked = records(&dir.join("aranked.csv"));
    assert_eq!(ranked.len() - 1, 1536, "every overlapping account");
    // The shortlist is the ranked list's best high-confidence deals, in order.
    let deals: Vec<&Vec<String>> = ranked[1..]
        .iter()
        .filter(|r| {
            ["joint-pursuit", "customer-expansion", "source-to-source"].contains(&r[2].as_str()) && r[14].contains("matched on")
        })
        .take(12)
        .collect();
    for (p, r) in plan[1..].iter().zip(deals) {
        assert_eq!(p, r);
        assert!(!p[7].is_empty(), "the partner's owner, shared: {p:?}");
    }
    // Negative scores are guarded for Excel like any cell that starts with a sign ('-5).
    let scores: Vec<i32> = ranked[1..].iter().map(|r| r[13].trim_start_matches('\'').parse().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]));
    // Same options, same bytes: the plan does not depend on the run.
    ok(&dir, &["plan", "--state", "a.state", "--plan", "again.csv", "--today", "2026-12-01"]);
    assert_eq!(std::fs::read(dir.join("again.csv")).unwrap(), std::fs::read(dir.join("aplan.csv")).unwrap());
    // A larger plan is a list, and the CLI says so; a cell of the table can change.
    let big = ok(
        &dir,
        &["plan", "--state", "a.state", "--plan-size", "20", "--plan", "big.csv", "--shape", "customer×customer=joint-pursuit"],
    );
    assert!(big.contains("vertical list"), "{big}");
    let bad = run(&dir, &["plan", "--state", "a.state", "--shape", "customer×customer=friends"]);
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("--shape customer×customer=friends: shape: expected joint-pursuit"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
    // The plan travels to B, naming no account, and B reads it onto its own accounts.
    ok(&dir, &["plan", "--state", "a.state", "--out", "5.overlap", "--today", "2026-12-01"]);
    let msg = std::fs::read(dir.join("5.overlap")).unwrap();
    for p in &plan[1..] {
        assert!(!msg.windows(p[0].len()).any(|w| w == p[0].as_bytes()), "{} travels", p[0]);
    }
    let got = ok(&dir, &["plan", "--state", "b.state", "--partner-plan", "5.overlap", "--plan", "from_a.csv"]);
    assert!(got.contains("the partner's plan (proposal, revision 1): 12 accounts"), "{got}");
    let from_a = records(&dir.join("from_a.csv"));
    assert_eq!(from_a.len(), 13);
    // A's "our owner" is B's "partner owner".
    for (mine, theirs) in plan[1..].iter().zip(&from_a[1..]) {
        assert_eq!(mine[6], theirs[7]);
        assert_eq!(mine[2], theirs[2]);
    }
    // A's own message is not B's to read back as A.
    let wrong = run(&dir, &["plan", "--state", "a.state", "--partner-plan", "1.overlap"]);
    assert!(!wrong.status.success());
    let _ = std::fs::remove_dir_all(&dir);
}
