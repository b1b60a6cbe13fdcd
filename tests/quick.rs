//! Quick mode end to end through the public API: the ordered flow, and what an attacker or a
//! careless partner can hand over (another secret, an old list, an altered list, a reflected
//! list, a crafted count).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use overlap::ingest::{read, Dataset, Options};
use overlap::protocol::passphrase::{SecretError, Weakness};
use overlap::protocol::quick::{self, QuickError, Role, Secret};
use overlap::protocol::MessageError;
use sha2::{Digest, Sha256};

/// Records the largest single allocation of this thread (tests run in parallel), to show that a
/// crafted count allocates nothing for it.
struct Largest;
thread_local! {
    static LARGEST: Cell<usize> = const { Cell::new(0) };
}
fn note(size: usize) {
    let _ = LARGEST.try_with(|l| l.set(l.get().max(size)));
}
unsafe impl GlobalAlloc for Largest {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note(new_size);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}
#[global_allocator]
static ALLOC: Largest = Largest;

const SECRET: &str = "tulip-smog-crisp-oxide-ruby-gauze";
const MAX: usize = quick::DEFAULT_MAX_PARTNER_SET;

fn ds(csv: &str) -> Dataset {
    read(csv.as_bytes(), &Options::default()).unwrap()
}

fn a() -> Dataset {
    ds("Name,Website,Type\nAcme,acme.com,Customer\nBeta,https://beta.io,Prospect\nGamma,gamma.org,Customer\nEpsilon,eps.net,Prospect\n")
}

fn b() -> Dataset {
    ds("Company,Domain,Type\nACME,www.acme.com,Customer\nDelta,delta.com,Customer\nGamma Inc,gamma.org/about,Prospect\nEps,eps.net,Prospect\n")
}

fn secret() -> Secret {
    Secret::new(SECRET).unwrap()
}

fn rows(r: &overlap::report::Report) -> Vec<u32> {
    r.matches.iter().map(|m| m.row).collect()
}

fn message_error(e: QuickError) -> MessageError {
    match e {
        QuickError::Message(m) => m,
        other => panic!("expected a message error, got {other:?}"),
    }
}

#[test]
fn two_partners_match_in_order() {
    let (da, db, s) = (a(), b(), secret());
    let started = quick::start(&da, &s).unwrap();
    let head = quick::peek(&started.message).unwrap();
    // 4 domains and, as in the private protocol, each name as role × place tokens: 12 elements.
    assert_eq!((head.session, head.role, head.elements), (started.session, Role::First, 12));
    let answered = quick::answer(&db, &s, &started.message, MAX).unwrap();
    assert_eq!(quick::peek(&answered.message).unwrap().session, started.session, "the answer is for the same session");
    let ra = quick::finish(&da, &s, &started.session, &answered.message, MAX).unwrap();
    assert_eq!(rows(&ra), vec![0, 2, 3]);
    assert_eq!(rows(&answered.report), vec![0, 2, 3]);
    // My Customers × their populations (Customer, Prospect), in rows.
    assert_eq!(ra.matrix, vec![vec![1, 1], vec![0, 1]]);
    assert_eq!(ra.partner_set_size, 12);
    // A second session starts afresh: another id, other tags.
    let again = quick::start(&da, &s).unwrap();
    assert_ne!(again.session, started.session);
    assert_ne!(again.message[again.message.len() - 100..], started.message[started.message.len() - 100..]);
}

#[test]
fn another_secret_is_named_on_both_sides() {
    let (da, db) = (a(), b());
    let started = quick::start(&da, &secret()).unwrap();
    let other = Secret::new("plaza-venom-ninth-gravy-ounce-lapel").unwrap();
    let err = quick::answer(&db, &other, &started.message, MAX).err().unwrap();
    assert_eq!(message_error(err), MessageError::WrongSecret);
    let answered = quick::answer(&db, &other, &quick::start_with(&da, &other, started.session).unwrap().message, MAX).unwrap();
    let err = quick::finish(&da, &secret(), &started.session, &answered.message, MAX).err().unwrap();
    assert_eq!(message_error(err), MessageError::WrongSecret);
}

#[test]
fn an_answer_to_an_old_session_is_refused() {
    let (da, db, s) = (a(), b(), secret());
    let old = quick::start(&da, &s).unwrap();
    let old_answer = quick::answer(&db, &s, &old.message, MAX).unwrap();
    // The first partner starts again; the partner sends the answer to the old list.
    let current = quick::start(&da, &s).unwrap();
    let err = quick::finish(&da, &s, &current.session, &old_answer.message, MAX).err().unwrap();
    assert_eq!(message_error(err), MessageError::OtherSession);
    // The answer to the current list is taken.
    let answer = quick::answer(&db, &s, &current.message, MAX).unwrap();
    assert!(quick::finish(&da, &s, &current.session, &answer.message, MAX).is_ok());
}

#[test]
fn a_list_is_not_taken_back_by_its_maker() {
    let (da, db, s) = (a(), b(), secret());
    let started = quick::start(&da, &s).unwrap();
    // My own first list, reflected back to me as if it were the answer.
    let err = quick::finish(&da, &s, &started.session, &started.message, MAX).err().unwrap();
    assert_eq!(message_error(err), MessageError::WrongRole { expected: "second", found: "first" });
    // An answer handed to the second partner as if it were a first list.
    let answered = quick::answer(&db, &s, &started.message, MAX).unwrap();
    let err = quick::answer(&da, &s, &answered.message, MAX).err().unwrap();
    assert_eq!(message_error(err), MessageError::WrongRole { expected: "first", found: "second" });
}

/// What an attacker without the secret can do to a list: edit it, fix the element count, and
/// recompute the plain SHA-256 checksum at its end.
fn reseal_without_secret(msg: &mut [u8]) {
    let n = msg.len() - 32;
    let sum = Sha256::digest(&msg[..n]);
    msg[n..].copy_from_slice(&sum);
}

/// The offset of the element count (after the header, role, key check and populations).
fn count_at(msg: &[u8]) -> usize {
    let pops_at = 55 + msg[54] as usize + 1 + 16;
    let mut at = pops_at + 1;
    for _ in 0..msg[pops_at] {
        at += 1 + msg[at] as usize + 4 + 1; // name, size, role
    }
    at
}

#[test]
fn dropping_or_relabelling_elements_is_caught_by_the_mac() {
    let (da, db, s) = (a(), b(), secret());
    let started = quick::start(&da, &s).unwrap();
    let answered = quick::answer(&db, &s, &started.message, MAX).unwrap();
    let msg = &answered.message;
    let at = count_at(msg);
    let first = at + 4;

    // Relabel the first element (Customer ↔ Prospect) and re-seal.
    let mut relabelled = msg.clone();
    relabelled[first + 33] ^= 0b11;
    reseal_without_secret(&mut relabelled);
    let err = quick::finish(&da, &s, &started.session, &relabelled, MAX).err().unwrap();
    assert_eq!(message_error(err), MessageError::Altered);

    // Drop the first element, fix the count and re-seal.
    let mut dropped = msg.clone();
    dropped.drain(first..first + 34);
    let n = u32::from_be_bytes(dropped[at..at + 4].try_into().unwrap()) - 1;
    dropped[at..at + 4].copy_from_slice(&n.to_be_bytes());
    reseal_without_secret(&mut dropped);
    let err = quick::finish(&da, &s, &started.session, &dropped, MAX).err().unwrap();
    assert_eq!(message_error(err), MessageError::Altered);

    // Damage without re-sealing is still told apart: the checksum.
    let mut damaged = msg.clone();
    damaged[first] ^= 1;
    let err = quick::finish(&da, &s, &started.session, &damaged, MAX).err().unwrap();
    assert_eq!(message_error(err), MessageError::Corrupted);

    // The untouched list is taken.
    assert!(quick::finish(&da, &s, &started.session, msg, MAX).is_ok());
}

#[test]
fn weak_secrets_are_refused_and_suggestions_accepted() {
    assert!(matches!(Secret::new("Acme2024!"), Err(SecretError::TooShort { min: 12 })));
    match Secret::new("Welcome2024!!") {
        Err(SecretError::Weak { weaknesses, .. }) => {
            assert!(weaknesses.contains(&Weakness::CommonPassword) && weaknesses.contains(&Weakness::Year), "{weaknesses:?}")
        }
        other => panic!("expected weak, got {other:?}"),
    }
    assert!(matches!(Secret::from_bytes(b"\xff\xfe not text at all"), Err(SecretError::NotText)));
    for _ in 0..20 {
        let suggested = quick::suggest_secret().unwrap();
        assert!(Secret::new(&suggested).is_ok());
    }
}

#[test]
fn a_crafted_element_count_allocates_nothing_for_it() {
    let (da, db, s) = (a(), b(), secret());
    let started = quick::start(&da, &s).unwrap();
    let keys = quick::Keys::derive(&s, &started.session).unwrap();
    // The partner (who has the secret) announces 4 billion elements in a tiny list.
    let mut huge = quick::make_list(&db, &keys, Role::Second);
    let at = count_at(&huge);
    huge[at..at + 4].copy_from_slice(&u32::MAX.to_be_bytes());
    quick::reauthenticate(&mut huge, &keys);
    LARGEST.with(|l| l.set(0));
    let err = quick::match_list(&da, &keys, Role::Second, &huge, usize::MAX).unwrap_err();
    let largest = LARGEST.with(Cell::get);
    assert_eq!(err, MessageError::CountMismatch { what: "elements", expected: u32::MAX as usize, found: 12 });
    assert!(largest < 64 * 1024, "largest allocation {largest} bytes");
}

#[test]
fn no_list_holds_a_plain_or_hashed_key() {
    let (da, s) = (a(), secret());
    let msg = quick::start(&da, &s).unwrap().message;
    let text = String::from_utf8_lossy(&msg);
    for v in ["acme.com", "beta.io", "gamma.org", "eps.net", SECRET] {
        assert!(!text.contains(v));
        for kind in 0u8..8 {
            let mut plain = vec![kind];
            plain.extend_from_slice(v.as_bytes());
            let h = Sha256::digest(&plain);
            assert!(!msg.windows(32).any(|w| w == h.as_slice()));
        }
        let h = Sha256::digest(v.as_bytes());
        assert!(!msg.windows(32).any(|w| w == h.as_slice()));
    }
}
