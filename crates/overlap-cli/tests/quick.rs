//! `overlap quick` as a partner runs it: suggest-secret, start, answer, finish; a weak secret, my
//! own list sent back and an answer to an older session refused; the state file holds only the
//! session id.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const A: &str = "Name,Website,Type\nAcme,acme.com,Customer\nBeta,beta.io,Prospect\nGamma,gamma.org,Customer\n";
const B: &str = "Company,Domain\nACME,www.acme.com\nDelta,delta.com\nGamma Inc,gamma.org/about\n";

fn dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("overlap-cli-quick-{}-{:?}", std::process::id(), std::thread::current().id()));
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(d.join("a.csv"), A).unwrap();
    std::fs::write(d.join("b.csv"), B).unwrap();
    d
}

fn overlap(dir: &Path, secret: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_overlap")).current_dir(dir).env("OVERLAP_SECRET", secret).args(args).output().unwrap()
}

fn ok(o: Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

fn err(o: Output) -> String {
    assert!(!o.status.success());
    String::from_utf8(o.stderr).unwrap()
}

#[test]
fn start_answer_finish() {
    let d = dir();
    let secret = ok(overlap(&d, "", &["quick", "suggest-secret"])).trim().to_string();
    assert_eq!(secret.split('-').count(), 6);
    ok(overlap(&d, &secret, &["quick", "start", "--csv", "a.csv", "--state", "a.quick", "--out", "1.msg"]));
    // The state: magic, version, the 16-byte session id, a checksum; owner-only.
    let state = std::fs::read(d.join("a.quick")).unwrap();
    assert_eq!((&state[..4], state.len()), (&b"OVLQ"[..], 4 + 1 + 16 + 32));
    assert_eq!(&state[5..21], &std::fs::read(d.join("1.msg")).unwrap()[6..22], "the state holds the list's session id");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(d.join("a.quick")).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let out = ok(overlap(
        &d,
        &secret,
        &["quick", "answer", "--csv", "b.csv", "--partner", "1.msg", "--out", "2.msg", "--report", "b.csv.out"],
    ));
    assert!(out.starts_with("2 of my 3 rows overlap"), "{out}");
    // My own list sent back is refused; the answer is taken.
    let e = err(overlap(
        &d,
        &secret,
        &["quick", "finish", "--csv", "a.csv", "--state", "a.quick", "--partner", "1.msg", "--report", "a.csv.out"],
    ));
    assert!(e.contains("your own list sent back"), "{e}");
    let out = ok(overlap(
        &d,
        &secret,
        &["quick", "finish", "--csv", "a.csv", "--state", "a.quick", "--partner", "2.msg", "--report", "a.csv.out"],
    ));
    assert!(out.starts_with("2 of my 3 rows overlap"), "{out}");
    let report = std::fs::read_to_string(d.join("a.csv.out")).unwrap();
    assert!(report.contains("Acme,acme.com,Customer,All accounts,domain,high"), "{report}");
    // A new session: the old answer is refused.
    ok(overlap(&d, &secret, &["quick", "start", "--csv", "a.csv", "--state", "a.quick", "--out", "3.msg"]));
    let e = err(overlap(
        &d,
        &secret,
        &["quick", "finish", "--csv", "a.csv", "--state", "a.quick", "--partner", "2.msg", "--report", "a.csv.out"],
    ));
    assert!(e.contains("another mapping session"), "{e}");
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn weak_secrets_are_refused_with_the_reason_and_never_echoed() {
    let d = dir();
    let e = err(overlap(&d, "Welcome2024!", &["quick", "start", "--csv", "a.csv", "--state", "a.quick", "--out", "1.msg"]));
    assert!(e.contains("too easy to guess") && e.contains("common password") && e.contains("suggest-secret"), "{e}");
    assert!(!e.contains("Welcome2024"), "{e}");
    assert!(!d.join("a.quick").exists() && !d.join("1.msg").exists());
    let e = err(overlap(&d, "short", &["quick", "start", "--csv", "a.csv", "--state", "a.quick", "--out", "1.msg"]));
    assert!(e.contains("at least 12 characters"), "{e}");
    let _ = std::fs::remove_dir_all(&d);
}
