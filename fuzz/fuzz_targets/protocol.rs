//! Fuzzes the protocol's parsers and state machine: every message kind at every step, and saved
//! party states. Inputs are either taken as-is or as mutations of real messages and states (so
//! the fuzzer reaches past the checksum), optionally resealed with a valid checksum.
//!
//! Input: byte 0 picks the target (message for a step, or a state); byte 1 picks raw vs mutated
//! and whether to reseal; the rest is the raw bytes or (offset u16, xor u8) mutations.
//!
//! Two worlds: a small one (three rows a side) for the steps that do curve work, and one of
//! realistic size (about 3,000 elements a side) for the confirm and fields steps and for offers
//! (parsed and guarded, not answered), whose decoding is bounded by what the receiver knows of
//! the session: size-driven faults show only with sets this large.
//!
//! Targets 5 and 6: quick-mode lists of realistic size (3,000 and 2,500 elements, keyed with a
//! fixed secret and session), the first partner's and the second's, mutated anywhere (offsets
//! scaled to the list), then optionally re-sealed as anyone could (the SHA-256 checksum) or
//! re-authenticated as the partner could (MAC and checksum). A list accepted without being
//! re-authenticated must be the original: nothing gets past the MAC.
//!
//! Target 7: a co-selling plan message (12 accounts, from the realistic world's finished A), raw
//! or mutated, read by the finished B: whatever it holds, a plan that is read lands only on rows
//! of B's own overlap.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use overlap::ingest::{self, Dataset};
use overlap::protocol::group::SecretScalar;
use overlap::protocol::quick::{self, Keys, Role, Secret};
use overlap::protocol::{Party, Settings, Sharing};
use sha2::{Digest, Sha256};

struct World {
    da: Dataset,
    db: Dataset,
    /// (party expecting the message, the valid message)
    steps: Vec<(Party, Dataset, Vec<u8>)>,
    states: Vec<(Vec<u8>, Dataset)>,
    offer: Vec<u8>,
    /// B at the end of the session, the rows of its overlap, and A's plan message.
    done_b: Party,
    b_rows: Vec<u32>,
    plan: Vec<u8>,
}

/// `n` accounts, a third of them shared with the other export of the family.
fn export(tag: &str, n: usize) -> String {
    let mut s = String::from("Name,Website,Type,Owner\n");
    for i in 0..n {
        let site = if i % 3 == 0 { format!("shared{i}.com") } else { format!("{tag}{i}.com") };
        let kind = ["Customer", "Prospect", "Partner"][i % 3];
        s.push_str(&format!("Company {tag} {i},{site},{kind},Owner {i}\n"));
    }
    s
}

fn scalar(n: u8) -> SecretScalar {
    let mut b = [0u8; 32];
    b[0] = n;
    SecretScalar::from_bytes(&b).expect("small scalars are canonical")
}

fn small() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| {
        make(
            "Name,Website,Type,Owner\nAcme,acme.com,Customer,Ann\nBeta,beta.io,Prospect,Bob\nGamma,gamma.org,Customer,Cy\n",
            "Name,Website,Type,Owner\nAcme,acme.com,Customer,Di\nDelta,delta.de,Customer,Ed\nGamma,gamma.org,Prospect,Flo\n",
        )
    })
}

fn large() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| make(&export("a", 1500), &export("b", 1500)))
}

fn make(csv_a: &str, csv_b: &str) -> World {
    {
        let read = |csv: &str| ingest::read(csv.as_bytes(), &ingest::Options::default()).expect("valid CSV");
        let (da, db) = (read(csv_a), read(csv_b));
        let s = Settings { sharing: Sharing::Fields, fields: vec!["Owner".into()], min_population: 1, ..Settings::default() };
        let a1 = Party::start_with(&da, s.clone(), scalar(3), [9; 16], [7; 32]).unwrap().run(&da).unwrap();
        let offer = a1.message.clone().unwrap();
        let b1 = Party::respond_with(&db, s.clone(), &offer, scalar(5), [6; 32]).unwrap().run(&db).unwrap();
        let reply = b1.message.clone().unwrap();
        let a2 = a1.party.receive(&da, &reply).unwrap().run(&da).unwrap();
        let confirm = a2.message.clone().unwrap();
        let b2 = b1.party.receive(&db, &confirm).unwrap().run(&db).unwrap();
        let fields = b2.message.clone().unwrap();
        let a3 = a2.party.receive(&da, &fields).unwrap().run(&da).unwrap();
        let ra = a3.party.report(&da).unwrap().unwrap();
        let ranking = overlap::plan::rank(&da, &ra, &overlap::plan::RuleTable::default(), 20_000);
        let mut suggested = overlap::plan::Plan::suggest(&ranking, 12, true);
        if suggested.entries.is_empty() {
            suggested.entries = ranking.iter().take(12).map(overlap::plan::Entry::from_ranked).collect();
        }
        let plan = a3.party.plan_message(&da, &suggested, overlap::protocol::plan::PlanStatus::Proposal, 1).unwrap();
        let b_rows = b2.party.report(&db).unwrap().unwrap().matches.iter().map(|m| m.row).collect();
        let steps = vec![
            (a1.party.clone(), da.clone(), reply),
            (b1.party.clone(), db.clone(), confirm),
            (a2.party.clone(), da.clone(), fields),
        ];
        let states = vec![
            (a1.party.to_bytes(), da.clone()),
            (b1.party.to_bytes(), db.clone()),
            (a2.party.to_bytes(), da.clone()),
            (b2.party.to_bytes(), db.clone()),
        ];
        World { da, db, steps, states, offer, done_b: b2.party, b_rows, plan }
    }
}

fn reseal(mut v: Vec<u8>) -> Vec<u8> {
    if v.len() >= 32 {
        let n = v.len() - 32;
        let sum = Sha256::digest(&v[..n]);
        v[n..].copy_from_slice(&sum);
    }
    v
}

fn mutate(base: &[u8], ops: &[u8], seal: bool) -> Vec<u8> {
    let mut v = base.to_vec();
    for op in ops.chunks_exact(3) {
        let at = u16::from_le_bytes([op[0], op[1]]) as usize;
        match op[2] {
            // A few structural edits besides flips: truncate, duplicate a span.
            0 => v.truncate(at.min(v.len())),
            1 if at < v.len() => {
                let end = (at + 34).min(v.len());
                let span = v[at..end].to_vec();
                v.splice(at..at, span);
            }
            x if at < v.len() => v[at] ^= x,
            _ => {}
        }
    }
    if seal {
        reseal(v)
    } else {
        v
    }
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let (target, mode, rest) = (data[0] % 8, data[1], &data[2..]);
    // Curve work (unblinding A's answers, answering an offer) only in the small world.
    let w = if target == 0 || target == 4 { small() } else { large() };
    match target {
        5 | 6 => quick_lists(target == 6, mode, rest),
        7 => {
            let msg = if mode & 1 == 0 { rest.to_vec() } else { mutate(&w.plan, rest, mode & 2 != 0) };
            if let Ok(got) = w.done_b.read_plan(&w.db, &msg) {
                for rows in &got.rows {
                    assert!(rows.iter().all(|r| w.b_rows.contains(r)), "a plan landed outside the overlap");
                }
            }
        }
        0..=2 => {
            let (party, dataset, valid) = &w.steps[target as usize];
            let msg = if mode & 1 == 0 { rest.to_vec() } else { mutate(valid, rest, mode & 2 != 0) };
            if let Ok(pending) = party.receive(dataset, &msg) {
                if let Ok(step) = pending.run(dataset) {
                    let _ = step.party.report(dataset);
                    let _ = step.party.to_bytes();
                }
            }
        }
        3 => {
            // B taking a (mutated) offer: parsed and guarded at full size; answered only when small.
            let msg = if mode & 1 == 0 { rest.to_vec() } else { mutate(&w.offer, rest, mode & 2 != 0) };
            let s = Settings { sharing: Sharing::Counts, ..Settings::default() };
            if let Ok(o) = overlap::protocol::messages::Offer::decode(&msg, s.max_partner_set) {
                let _ = overlap::protocol::guard::check_counts(&s, &o.from, o.queries.iter().map(|e| e.label));
            }
            if msg.len() < 4096 {
                if let Ok(p) = Party::respond(&small().db, s, &msg) {
                    let _ = p.run(&small().db);
                }
            }
        }
        _ => {
            // A saved state, raw or mutated, then used.
            let (valid, dataset) = &w.states[(mode as usize >> 2) % w.states.len()];
            let bytes = if mode & 1 == 0 { rest.to_vec() } else { mutate(valid, rest, mode & 2 != 0) };
            if let Ok(p) = Party::from_bytes(&bytes) {
                let _ = p.report(dataset);
                let _ = p.report(&w.da);
                for (_, _, msg) in &w.steps {
                    if let Ok(pending) = p.receive(dataset, msg) {
                        let _ = pending.run(dataset);
                    }
                }
            }
        }
    }
});

struct QuickWorld {
    da: Dataset,
    db: Dataset,
    keys: Keys,
    first: Vec<u8>,
    second: Vec<u8>,
}

fn quick_world() -> &'static QuickWorld {
    static W: OnceLock<QuickWorld> = OnceLock::new();
    W.get_or_init(|| {
        let csv = |n: usize, from: usize| {
            let mut s = String::from("Name,Website,Type\n");
            for i in from..from + n {
                s.push_str(&format!("Company {i},company{i}.com,{}\n", ["Customer", "Prospect", "Partner"][i % 3]));
            }
            ingest::read(s.as_bytes(), &ingest::Options::default()).expect("valid CSV")
        };
        let (da, db) = (csv(3000, 0), csv(2500, 1500));
        let secret = Secret::new("tulip-smog-crisp-oxide-ruby-gauze").expect("a strong secret");
        // One key derivation for the whole run: the fuzzer exercises what follows it.
        let keys = Keys::derive(&secret, &[5; 16]).expect("derive");
        let first = quick::make_list(&da, &keys, Role::First);
        let second = quick::make_list(&db, &keys, Role::Second);
        QuickWorld { da, db, keys, first, second }
    })
}

/// Mutations at offsets scaled to the whole list (a u16 would not reach past 64 KiB).
fn mutate_scaled(base: &[u8], ops: &[u8]) -> Vec<u8> {
    let mut v = base.to_vec();
    for op in ops.chunks_exact(3) {
        let at = (u16::from_le_bytes([op[0], op[1]]) as usize * v.len()) >> 16;
        match op[2] {
            0 => v.truncate(at),
            1 if at < v.len() => {
                let end = (at + 34).min(v.len());
                let span = v[at..end].to_vec();
                v.splice(at..at, span);
            }
            2 if at < v.len() => {
                let end = (at + 34).min(v.len());
                v.drain(at..end);
            }
            x if at < v.len() => v[at] ^= x,
            _ => {}
        }
    }
    v
}

fn quick_lists(second: bool, mode: u8, rest: &[u8]) {
    let w = quick_world();
    // The second partner matches the first list; the first partner the second.
    let (valid, role, mine) = if second { (&w.second, Role::Second, &w.da) } else { (&w.first, Role::First, &w.db) };
    let mut msg = if mode & 1 == 0 { rest.to_vec() } else { mutate_scaled(valid, rest) };
    if mode & 2 != 0 {
        msg = reseal(msg);
    }
    let authenticated = mode & 4 != 0;
    if authenticated {
        quick::reauthenticate(&mut msg, &w.keys);
    }
    let _ = quick::peek(&msg);
    let result = quick::match_list(mine, &w.keys, role, &msg, quick::DEFAULT_MAX_PARTNER_SET);
    if result.is_ok() && !authenticated {
        assert!(msg == *valid, "a list changed without the key was accepted");
    }
    // Without the key, a list never passes for the other role's (reflection).
    if !authenticated {
        let other = if second { Role::First } else { Role::Second };
        assert!(quick::match_list(mine, &w.keys, other, &msg, quick::DEFAULT_MAX_PARTNER_SET).is_err());
    }
}
