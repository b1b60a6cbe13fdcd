//! The `overlap` command end to end, on files, as a partner would run it — and as a hostile
//! partner would feed it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use overlap::protocol::messages::bitmap_len;
use sha2::{Digest, Sha256};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_overlap"))
}

struct Dir(PathBuf);
impl Dir {
    fn new(name: &str) -> Dir {
        let d = std::env::temp_dir().join(format!("overlap-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        Dir(d)
    }
    fn p(&self, f: &str) -> PathBuf {
        self.0.join(f)
    }
}
impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn run(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Output {
    let out = bin().args(args.iter().map(|a| a.as_ref())).output().unwrap();
    out
}

fn ok(out: Output) -> String {
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "overlap failed: {err}");
    err + &String::from_utf8_lossy(&out.stdout)
}

fn export(tag: &str, n: usize, shared: usize) -> String {
    let mut s = String::from("Name,Website,Type,Owner\n");
    for i in 0..n {
        let site = if i < shared { format!("shared{i}.com") } else { format!("{tag}-only{i}.com") };
        s.push_str(&format!("Company {tag}{i},{site},Customer,SECRET-OWNER-{tag}-{i}\n"));
    }
    s
}

fn code_of(text: &str) -> String {
    text.lines().find_map(|l| l.strip_prefix("session code: ")).expect("a session code line").to_string()
}

fn reseal(mut msg: Vec<u8>) -> Vec<u8> {
    let n = msg.len() - 32;
    let sum = Sha256::digest(&msg[..n]);
    msg[n..].copy_from_slice(&sum);
    msg
}

/// A's first two steps on files; returns the directory.
fn first_steps(d: &Dir, b_sharing: &str) -> (String, String) {
    std::fs::write(d.p("a.csv"), export("a", 40, 15)).unwrap();
    std::fs::write(d.p("b.csv"), export("b", 50, 15)).unwrap();
    ok(run(&[
        &"offer",
        &"--csv",
        &d.p("a.csv"),
        &"--state",
        &d.p("a.state"),
        &"--out",
        &d.p("1.msg"),
        &"--sharing",
        &"overlaps",
    ]));
    let mut reply = vec![
        "reply".to_string(),
        "--csv".into(),
        d.p("b.csv").display().to_string(),
        "--offer".into(),
        d.p("1.msg").display().to_string(),
        "--state".into(),
        d.p("b.state").display().to_string(),
        "--out".into(),
        d.p("2.msg").display().to_string(),
        "--sharing".into(),
        b_sharing.into(),
    ];
    if b_sharing == "fields" {
        reply.extend(["--share".into(), "Owner".into()]);
    }
    let rb = ok(bin().args(&reply).output().unwrap());
    let ra = ok(run(&[
        &"finish",
        &"--state",
        &d.p("a.state"),
        &"--reply",
        &d.p("2.msg"),
        &"--out",
        &d.p("3.msg"),
        &"--report",
        &d.p("a.csv.out"),
    ]));
    (ra, rb)
}

#[test]
fn both_partners_see_the_same_session_code() {
    let d = Dir::new("code");
    let (ra, _) = first_steps(&d, "overlaps");
    let rb = ok(run(&[&"finish", &"--state", &d.p("b.state"), &"--confirm", &d.p("3.msg"), &"--report", &d.p("b.csv.out")]));
    assert_eq!(code_of(&ra), code_of(&rb));
    assert!(ra.contains("Read it to your partner by phone"));
    let report = std::fs::read_to_string(d.p("b.csv.out")).unwrap();
    assert_eq!(report.lines().count(), 16, "15 overlapping rows and the header");
}

#[test]
fn a_forged_confirm_gets_no_value_and_leaves_the_state_as_it_was() {
    let d = Dir::new("forged");
    first_steps(&d, "fields");
    let confirm = std::fs::read(d.p("3.msg")).unwrap();
    let reply = std::fs::read(d.p("2.msg")).unwrap();
    // B's tag count sits before m × 14 bytes of tags and the checksum.
    let tags = (1..reply.len() / 14)
        .find(|&m| {
            let at = reply.len() - 32 - 14 * m - 4;
            u32::from_be_bytes(reply[at..at + 4].try_into().unwrap()) as usize == m
        })
        .expect("a tag count");
    // Every bit of the bitmap set, proofs made of B's own tags: what a hostile A (or whoever moves
    // the files) can write without any secret.
    let at = 55 + confirm[54] as usize + 32;
    let mut forged = confirm[..at + 1].to_vec();
    let mut bitmap = vec![0xffu8; bitmap_len(tags)];
    if tags % 8 != 0 {
        *bitmap.last_mut().unwrap() = 0xffu8 << (8 - tags % 8);
    }
    forged.extend_from_slice(&bitmap);
    let tag_bytes = &reply[reply.len() - 32 - 14 * tags..reply.len() - 32];
    for q in 0..tags {
        forged.extend_from_slice(&tag_bytes[q * 14..q * 14 + 8]);
        forged.extend_from_slice(&1u16.to_be_bytes());
    }
    forged.extend_from_slice(&[0; 5 + 32]);
    std::fs::write(d.p("forged.msg"), reseal(forged)).unwrap();
    let state_before = std::fs::read(d.p("b.state")).unwrap();
    let out = run(&[
        &"finish",
        &"--state",
        &d.p("b.state"),
        &"--confirm",
        &d.p("forged.msg"),
        &"--report",
        &d.p("b.csv.out"),
        &"--out",
        &d.p("4.msg"),
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("claims a match it cannot prove"), "{err}");
    assert!(!Path::new(&d.p("4.msg")).exists(), "no fields message was written");
    assert!(!Path::new(&d.p("b.csv.out")).exists(), "no report");
    assert_eq!(std::fs::read(d.p("b.state")).unwrap(), state_before, "the state is unchanged");

    // The honest confirm then goes through, and B's owners leave only sealed.
    let rb = ok(run(&[
        &"finish",
        &"--state",
        &d.p("b.state"),
        &"--confirm",
        &d.p("3.msg"),
        &"--report",
        &d.p("b.csv.out"),
        &"--out",
        &d.p("4.msg"),
    ]));
    assert!(rb.contains("fields: "), "{rb}");
    let fields = std::fs::read(d.p("4.msg")).unwrap();
    assert!(!fields.windows(12).any(|w| w == b"SECRET-OWNER"));
    ok(run(&[&"finish", &"--state", &d.p("a.state"), &"--fields", &d.p("4.msg"), &"--report", &d.p("a.csv.out")]));
    let a = std::fs::read_to_string(d.p("a.csv.out")).unwrap();
    assert_eq!(a.matches("SECRET-OWNER-b-").count(), 15, "{a}");
}

#[test]
fn partner_strings_are_printed_without_terminal_codes() {
    let d = Dir::new("strings");
    // A population named with an escape sequence and a right-to-left override.
    let csv = "Name,Website,Tier\nA,a1.com,x\nB,b1.com,x\nC,c1.com,x\nD,d1.com,x\nE,e1.com,x\n";
    std::fs::write(d.p("a.csv"), csv).unwrap();
    let evil = "Evil\u{1b}[2J\u{202e}moc.live=Tier:x";
    ok(run(&[&"offer", &"--csv", &d.p("a.csv"), &"--state", &d.p("a.state"), &"--out", &d.p("1.msg"), &"--population", &evil]));
    let out = ok(run(&[&"inspect", &d.p("1.msg")]));
    assert!(out.contains("population: Evil\\u{1b}[2J\\u{202e}moc.live"), "{out}");
    assert!(!out.contains('\u{1b}') && !out.contains('\u{202e}'));
}
