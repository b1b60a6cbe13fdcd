//! The private protocol against a hostile partner: each attack of issue #13, tried with crafted
//! messages the way a partner (or whoever hands a file over) would, asserting that it now fails.
//!
//! A counting allocator measures what decoding a crafted message allocates.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use overlap::ingest::{self, Dataset};
use overlap::model::{Population, PopulationRole};
use overlap::protocol::group::{self, SecretScalar};
use overlap::protocol::messages::{bitmap_len, Announcement, Answers, Confirm, Element, Expect, Offer, Reply};
use overlap::protocol::wire::{Header, Kind};
use overlap::protocol::{transcript, MessageError, Party, ProtocolError, Settings, Sharing, Step};
use sha2::{Digest, Sha256};

// ---- a counting allocator: the peak of live bytes while a closure runs ----

struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let now = LIVE.fetch_add(l.size(), Ordering::Relaxed) + l.size();
        PEAK.fetch_max(now, Ordering::Relaxed);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size(), Ordering::Relaxed);
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        if new > l.size() {
            let now = LIVE.fetch_add(new - l.size(), Ordering::Relaxed) + new - l.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        } else {
            LIVE.fetch_sub(l.size() - new, Ordering::Relaxed);
        }
        unsafe { System.realloc(p, l, new) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Bytes allocated above what was live when `f` started, at its peak. Tests in this file run one
/// at a time (a lock) so that no other test's allocations are counted.
fn peak_during<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let r = f();
    (r, PEAK.load(Ordering::Relaxed).saturating_sub(base))
}

static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner())
}

// ---- data ----

fn dataset(csv: &str) -> Dataset {
    ingest::read(csv.as_bytes(), &ingest::Options::default()).expect("test CSV is valid")
}

/// `n` accounts, customers and prospects, the first `shared` of them also in the other export of
/// this family, each with a recognisable owner.
fn export(tag: &str, n: usize, shared: usize) -> String {
    let mut s = String::from("Name,Website,Type,Owner\n");
    for i in 0..n {
        let site = if i < shared { format!("shared{i}.com") } else { format!("{tag}-only{i}.com") };
        let kind = if i % 3 == 0 { "Prospect" } else { "Customer" };
        s.push_str(&format!("Company {tag}{i},{site},{kind},SECRET-OWNER-{tag}-{i}\n"));
    }
    s
}

fn settings(sharing: Sharing) -> Settings {
    Settings { sharing, fields: if sharing == Sharing::Fields { vec!["Owner".into()] } else { vec![] }, ..Settings::default() }
}

fn reseal(mut msg: Vec<u8>) -> Vec<u8> {
    let n = msg.len() - 32;
    let sum = Sha256::digest(&msg[..n]);
    msg[n..].copy_from_slice(&sum);
    msg
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    needle.len() <= hay.len() && hay.windows(needle.len()).any(|w| w == needle)
}

/// Offset of the confirm's result kind: after the header and A's nonce.
fn confirm_body(msg: &[u8]) -> usize {
    let norm = msg[54] as usize;
    55 + norm + 32
}

// ---- 1. fields only for accounts the receiver really holds ----

#[test]
fn a_forged_confirm_claiming_every_row_gets_no_value() {
    let _g = serial();
    let da = dataset(&export("a", 60, 20));
    let db = dataset(&export("b", 80, 20));
    // A is hostile and shares overlaps; B shares fields (its owners) with whoever holds the account.
    let a = Party::start(&da, settings(Sharing::Overlaps)).unwrap().run(&da).unwrap();
    let b = Party::respond(&db, settings(Sharing::Fields), a.message.as_ref().unwrap()).unwrap().run(&db).unwrap();
    let honest = a.party.receive(&da, b.message.as_ref().unwrap()).unwrap().run(&da).unwrap();
    let confirm = honest.message.unwrap();
    let m = b.party.to_bytes().len(); // (only to show B's state is not used below)
    assert!(m > 0);

    // The honest confirm claims the 20 shared accounts' elements; B then seals 20 owners.
    let ok = b.party.receive(&db, &confirm).unwrap().run(&db).unwrap();
    let fields = ok.message.expect("B shares fields");
    assert!(!contains(&fields, b"SECRET-OWNER"), "values travel sealed");

    // The forgery: every bit of the bitmap set, a proof for each new claim made of what A has (B's
    // own tags, bytes of the reply, zeros), resealed. No secret is needed to write it.
    let reply = b.message.as_ref().unwrap();
    let tags = element_count(reply);
    let at = confirm_body(&confirm);
    assert_eq!(confirm[at], 1, "a matches result");
    let bitmap = at + 1..at + 1 + bitmap_len(tags);
    let claimed: usize = confirm[bitmap.clone()].iter().map(|b| b.count_ones() as usize).sum();
    let mut forged = confirm[..bitmap.start].to_vec();
    let mut full = vec![0xffu8; bitmap_len(tags)];
    if tags % 8 != 0 {
        *full.last_mut().unwrap() = 0xffu8 << (8 - tags % 8);
    }
    forged.extend_from_slice(&full);
    let tag_bytes = &reply[reply.len() - 32 - 14 * tags..reply.len() - 32];
    for q in 0..tags {
        forged.extend_from_slice(&tag_bytes[q * 14..q * 14 + 8]);
        forged.extend_from_slice(&1u16.to_be_bytes());
    }
    forged.extend_from_slice(&[0, 0, 0, 0, 0]); // no sealed values of A's
    forged.extend_from_slice(&[0; 32]);
    let forged = reseal(forged);
    assert!(tags > claimed);
    let err = b.party.receive(&db, &forged).and_then(|p| p.run(&db)).err().expect("refused");
    assert!(matches!(err, ProtocolError::Message(MessageError::UnprovenClaim { .. })), "{err}");
    assert_eq!(err.code(), "message/unproven_claim");

    // Claiming only the real matches but with one proof altered is refused too: proofs are checked
    // one by one, not as a whole.
    let mut altered = confirm.clone();
    altered[bitmap.end] ^= 1;
    let err = b.party.receive(&db, &reseal(altered)).and_then(|p| p.run(&db)).err().expect("refused");
    assert!(matches!(err, ProtocolError::Message(MessageError::UnprovenClaim { index: 0 })), "{err}");

    // The honest fields message gives A the owners of exactly the 20 accounts both hold.
    let a_done = honest.party.receive(&da, &fields).unwrap().run(&da).unwrap();
    let report = a_done.party.report(&da).unwrap().unwrap();
    let owners: Vec<String> = report.matches.iter().flat_map(|m| m.partner_values.concat()).collect();
    assert_eq!(owners.len(), 20);
    assert!(owners.iter().all(|o| o.starts_with("SECRET-OWNER-b-") && o[15..].parse::<usize>().unwrap() < 20), "{owners:?}");
}

/// B's element count, from a reply's tail: the tag count sits before m × 14 bytes and the checksum.
fn element_count(reply: &[u8]) -> usize {
    // Walk back: find m such that the u32 at len − 32 − 14m − 4 equals m.
    (1..reply.len() / 14)
        .find(|&m| {
            let at = reply.len() - 32 - 14 * m - 4;
            u32::from_be_bytes(reply[at..at + 4].try_into().unwrap()) as usize == m
        })
        .expect("a tag count")
}

// ---- 2. no allocation beyond what the bytes pay for ----

#[test]
fn hostile_counts_in_a_confirm_are_refused_before_allocating() {
    let _g = serial();
    // The victim's full set: a few thousand elements.
    let da = dataset(&export("a", 200, 100));
    let db = dataset(&export("b", 3000, 100));
    let a = Party::start(&da, settings(Sharing::Overlaps)).unwrap().run(&da).unwrap();
    let b = Party::respond(&db, settings(Sharing::Fields), a.message.as_ref().unwrap()).unwrap().run(&db).unwrap();
    let honest = a.party.receive(&da, b.message.as_ref().unwrap()).unwrap().run(&da).unwrap().message.unwrap();
    let reply = b.message.as_ref().unwrap();
    let tags = element_count(reply);
    let at = confirm_body(&honest);
    let head = &honest[..at];
    let session = overlap::protocol::wire::open(&honest).unwrap().0.session;
    let t2 = transcript::after(&transcript::after(&[0; 32], a.message.as_ref().unwrap()), reply);
    let partner = {
        let offer = Offer::decode(a.message.as_ref().unwrap(), usize::MAX).unwrap();
        offer.from
    };
    let expect = Expect { session: Some(&session), transcript: &t2, max_set: 5_000_000 };

    let mut crafted: Vec<(&str, Vec<u8>)> = Vec::new();
    // (a) counts: as many pairs as B has elements, and no bytes for them.
    let mut v = head.to_vec();
    v.push(0);
    v.extend_from_slice(&(tags as u32).to_be_bytes());
    crafted.push(("pairs without bytes", v));
    // (b) every element claimed, no proofs.
    let mut v = head.to_vec();
    v.push(1);
    v.extend(std::iter::repeat_n(0xffu8, bitmap_len(tags) - 1));
    v.push(if tags % 8 == 0 { 0xff } else { 0xffu8 << (8 - tags % 8) });
    crafted.push(("claims without proofs", v));
    // (c) the shape that took 3 GB: a sealed section announcing the most entries the claims allow,
    // each 6 bytes; and (d) entries whose lengths point past the end.
    let mut v = head.to_vec();
    v.push(1);
    v.extend(std::iter::repeat_n(0u8, bitmap_len(tags)));
    v.push(0);
    v.extend_from_slice(&u32::MAX.to_be_bytes());
    v.extend(std::iter::repeat_n(0u8, 6 * 60_000));
    crafted.push(("sealed entries above the claims", v));
    let mut v = head.to_vec();
    v.push(1);
    v.extend_from_slice(&{
        let mut bm = vec![0u8; bitmap_len(tags)];
        bm[0] = 0x80;
        bm
    });
    v.extend_from_slice(&[0; 10]);
    v.push(1);
    v.extend_from_slice(&5u16.to_be_bytes());
    v.extend_from_slice(b"Owner");
    v.extend_from_slice(&1u32.to_be_bytes());
    v.extend_from_slice(&0u32.to_be_bytes());
    v.extend_from_slice(&u32::MAX.to_be_bytes());
    v.extend(std::iter::repeat_n(0u8, 64));
    crafted.push(("a sealed entry longer than the message", v));

    for (what, body) in crafted {
        let mut msg = body;
        msg.extend_from_slice(&[0; 32]);
        let msg = reseal(msg);
        let (r, peak) = peak_during(|| Confirm::decode(&msg, &expect, tags, db.populations().len(), &partner));
        assert!(r.is_err(), "{what}: refused");
        assert!(peak <= 2 * msg.len() + 4096, "{what}: decoding allocated {peak} bytes for a {}-byte message", msg.len());
        // Through the party, the same: nothing beyond the party's own copy of its state.
        let (r, peak_party) = peak_during(|| b.party.receive(&db, &msg).map(|_| ()));
        assert!(r.is_err(), "{what}: refused by the party");
        let (_, baseline) = peak_during(|| b.party.receive(&db, b"OVLP").map(|_| ()));
        assert!(peak_party <= baseline + 2 * msg.len() + 4096, "{what}: {peak_party} bytes against {baseline} for a bad magic");
    }
}

#[test]
fn a_sealed_value_costs_what_its_bytes_pay_for() {
    let _g = serial();
    // 64 rows × 16 empty values is the most one account may carry: 2 KB of lengths.
    let mut plain = 64u16.to_be_bytes().to_vec();
    plain.extend(std::iter::repeat_n(0u8, 64 * 16 * 2));
    let (rows, peak) = peak_during(|| overlap::protocol::messages::decode_values(&plain, 16).unwrap());
    assert_eq!(rows.len(), 64);
    assert!(peak <= 2 * plain.len() + 1024, "{peak} bytes for {} bytes", plain.len());
    // More rows than the bytes can hold, or than an account may carry, or no column: refused.
    let mut lying = 65_535u16.to_be_bytes().to_vec();
    lying.extend_from_slice(&[0, 0]);
    for (p, w) in [(&lying, 1usize), (&plain, 0usize)] {
        let (r, peak) = peak_during(|| overlap::protocol::messages::decode_values(p, w));
        assert!(r.is_err());
        assert!(peak < 1024, "{peak}");
    }
    let mut many = 65u16.to_be_bytes().to_vec();
    many.extend(std::iter::repeat_n(0u8, 65 * 2));
    assert!(overlap::protocol::messages::decode_values(&many, 1).is_err());
}

// ---- 3. counts mode: the cheap bypasses ----

/// A hostile offer: keys of the attacker's choosing with population bits of its choosing.
fn hostile_offer(keys: &[(&str, u16)], populations: &[&str]) -> Vec<u8> {
    let r = SecretScalar::random().unwrap();
    let mut enc = Vec::new();
    let mut offsets = vec![0u32];
    for (k, _) in keys {
        enc.push(1u8);
        enc.extend_from_slice(k.as_bytes());
        offsets.push(enc.len() as u32);
    }
    let mut pts = Vec::new();
    group::hash_and_blind(&r, &enc, &offsets, &mut pts);
    let mut queries: Vec<Element> = keys
        .iter()
        .enumerate()
        .map(|(i, (_, l))| Element { point: pts[i * 32..i * 32 + 32].try_into().unwrap(), label: *l })
        .collect();
    queries.sort_by_key(|e| e.point);
    let offer = Offer {
        header: Header {
            kind: Kind::Offer,
            session: [5; 16],
            transcript: [0; 32],
            normalization: overlap::normalize::VERSION.into(),
        },
        from: Announcement {
            sharing: Sharing::Overlaps,
            fields: vec![],
            populations: populations
                .iter()
                .enumerate()
                .map(|(i, p)| Population {
                    name: p.to_string(),
                    size: keys.iter().filter(|(_, l)| l >> i & 1 == 1).count() as u32,
                    role: PopulationRole::Other,
                })
                .collect(),
            name_keys: "paired".into(),
            min_combination: 5,
        },
        commitment: [0; 32],
        queries,
    };
    offer.encode()
}

fn victim() -> Dataset {
    dataset(&export("v", 300, 0))
}

#[test]
fn counts_refuses_a_partner_with_no_population() {
    let _g = serial();
    let keys: Vec<(String, u16)> = (0..50).map(|i| (format!("v-only{i}.com"), 0)).collect();
    let keys: Vec<(&str, u16)> = keys.iter().map(|(k, l)| (k.as_str(), *l)).collect();
    let err = Party::respond(&victim(), settings(Sharing::Counts), &hostile_offer(&keys, &[])).err().expect("refused");
    assert!(matches!(err, ProtocolError::Unsafe(_)), "{err}");
    assert!(err.to_string().contains("no population"), "{err}");
}

#[test]
fn counts_does_not_answer_unlabelled_elements() {
    let _g = serial();
    // 40 padding keys in one population, and three guessed accounts of the victim under label 0:
    // the total of matched elements would say whether the victim holds them.
    let mut keys: Vec<(String, u16)> = (0..40).map(|i| (format!("padding{i}.example"), 1)).collect();
    keys.extend((0..3).map(|i| (format!("v-only{i}.com"), 0)));
    let keys: Vec<(&str, u16)> = keys.iter().map(|(k, l)| (k.as_str(), *l)).collect();
    let offer = hostile_offer(&keys, &["Targets"]);
    let v = victim();
    let reply = Party::respond(&v, settings(Sharing::Counts), &offer).unwrap().run(&v).unwrap().message.unwrap();
    let t1 = transcript::after(&[0; 32], &offer);
    let r = Reply::decode(&reply, &Expect { session: Some(&[5; 16]), transcript: &t1, max_set: 1 << 20 }, 43, 40, 1).unwrap();
    match r.answers {
        Answers::Shuffled(v) => assert_eq!(v.len(), 40, "the three unlabelled guesses get no answer at all"),
        other => panic!("counts must shuffle: {other:?}"),
    }
}

#[test]
fn counts_refuses_unique_combinations_of_populations() {
    let _g = serial();
    // 8 populations: 255 guessed accounts, each with its own combination of bits, padded with 5
    // made-up keys per population so that every single population is "large enough".
    let names: Vec<String> = (0..8).map(|i| format!("P{i}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut keys: Vec<(String, u16)> = (1..=255u16).map(|c| (format!("v-only{c}.com"), c)).collect();
    for b in 0..8 {
        keys.extend((0..5).map(|i| (format!("pad{b}-{i}.example"), 1u16 << b)));
    }
    let keys: Vec<(&str, u16)> = keys.iter().map(|(k, l)| (k.as_str(), *l)).collect();
    let err = Party::respond(&victim(), settings(Sharing::Counts), &hostile_offer(&keys, &names)).err().expect("refused");
    assert!(matches!(err, ProtocolError::Unsafe(_)), "{err}");
    assert!(err.to_string().contains("combination"), "{err}");
}

#[test]
fn an_honest_export_with_rare_combinations_is_never_refused() {
    let _g = serial();
    // A has three accounts that are both customers and prospects (two rows, one domain): a rare
    // combination. A coarsens it before sending; B, sharing counts, accepts; A's report says so.
    let mut csv = export("a", 120, 40);
    for i in 0..3 {
        csv.push_str(&format!("Company dup{i},shared{i}.com,Prospect,X\n"));
    }
    let da = dataset(&csv);
    let db = dataset(&export("b", 100, 40));
    let a = Party::start(&da, settings(Sharing::Overlaps)).unwrap().run(&da).unwrap();
    let b = Party::respond(&db, settings(Sharing::Counts), a.message.as_ref().unwrap()).unwrap().run(&db).unwrap();
    let done = a.party.receive(&da, b.message.as_ref().unwrap()).unwrap().run(&da).unwrap();
    let report = done.party.report(&da).unwrap().unwrap();
    assert!(report.warnings.iter().any(|w| w.contains("counted under fewer populations")), "{:?}", report.warnings);
    assert!(report.matched_elements > 0);
}

#[test]
fn a_tiny_partner_set_and_tiny_populations_are_warned_about() {
    let _g = serial();
    let keys: Vec<(String, u16)> = (0..12).map(|i| (format!("guess{i}.example"), if i < 6 { 1 } else { 2 })).collect();
    let keys: Vec<(&str, u16)> = keys.iter().map(|(k, l)| (k.as_str(), *l)).collect();
    let mut offer = hostile_offer(&keys, &["Big", "Small"]);
    let v = victim();
    let b = Party::respond(&v, settings(Sharing::Counts), &offer).unwrap().run(&v).unwrap();
    let notes = b.party.notes().join("\n");
    assert!(notes.contains("holds only 12 accounts"), "{notes}");
    assert!(notes.contains("partner population 2 holds only 6 accounts"), "{notes}");
    // Announced sizes far from the list: population 1 announced with 600 accounts.
    let at = offer.windows(3).position(|w| w == b"Big").unwrap() + 3;
    offer[at..at + 4].copy_from_slice(&600u32.to_be_bytes());
    let b = Party::respond(&v, settings(Sharing::Counts), &reseal(offer)).unwrap().run(&v).unwrap();
    assert!(
        b.party.notes().iter().any(|n| n.contains("announced with 600 accounts but its list holds 6")),
        "{:?}",
        b.party.notes()
    );
}

// ---- 5. secrets live no longer than needed ----

#[test]
fn a_finished_session_keeps_no_secret() {
    let _g = serial();
    let da = dataset(&export("a", 40, 10));
    let db = dataset(&export("b", 40, 10));
    let scalar = |n: u8| SecretScalar::from_bytes(&[n; 32].map(|b| b & 0x07)).unwrap();
    let (r, k) = ([0x03u8; 32], [0x05u8; 32]);
    let a = Party::start_with(&da, settings(Sharing::Overlaps), scalar(3), [1; 16], [0x77; 32]).unwrap().run(&da).unwrap();
    assert!(contains(&a.party.to_bytes(), &r), "a running session keeps its scalar");
    let b = Party::respond_with(&db, settings(Sharing::Overlaps), a.message.as_ref().unwrap(), scalar(5), [0x66; 32])
        .unwrap()
        .run(&db)
        .unwrap();
    assert!(contains(&b.party.to_bytes(), &k));
    let a2 = a.party.receive(&da, b.message.as_ref().unwrap()).unwrap().run(&da).unwrap();
    let b2 = b.party.receive(&db, a2.message.as_ref().unwrap()).unwrap().run(&db).unwrap();
    for (p, scalar_bytes) in [(&a2.party, r), (&b2.party, k)] {
        assert_eq!(p.step(), Step::Done);
        assert!(!p.holds_secrets());
        let st = p.to_bytes();
        assert!(!contains(&st, &scalar_bytes), "the scalar is gone");
        assert!(!contains(&st, &[0x77; 32]), "the nonce is gone");
        let back = Party::from_bytes(&st).unwrap();
        assert!(
            back.report(if p.role() == overlap::protocol::Role::Starter { &da } else { &db }).unwrap().is_some(),
            "the result stays"
        );
    }
}

// ---- 7. a man in the middle shows in the session code ----

#[test]
fn session_codes_agree_and_a_man_in_the_middle_changes_them() {
    let _g = serial();
    let da = dataset(&export("a", 50, 20));
    let db = dataset(&export("b", 50, 20));
    let s = settings(Sharing::Overlaps);
    // Honest: A's code after the reply equals B's after the confirm.
    let a = Party::start(&da, s.clone()).unwrap().run(&da).unwrap();
    assert_eq!(a.party.session_code(), None);
    let b = Party::respond(&db, s.clone(), a.message.as_ref().unwrap()).unwrap().run(&db).unwrap();
    assert_eq!(b.party.session_code(), None, "B cannot know it before A opens its nonce");
    let a2 = a.party.receive(&da, b.message.as_ref().unwrap()).unwrap().run(&da).unwrap();
    let b2 = b.party.receive(&db, a2.message.as_ref().unwrap()).unwrap().run(&db).unwrap();
    let code = a2.party.session_code().unwrap().to_string();
    assert_eq!(b2.party.session_code(), Some(code.as_str()));
    assert_eq!(a2.party.report(&da).unwrap().unwrap().session_code.as_deref(), Some(code.as_str()));

    // M between them: B to A, A to B, with its own export.
    let dm = dataset(&export("m", 50, 20));
    let a = Party::start(&da, s.clone()).unwrap().run(&da).unwrap();
    let m_as_b = Party::respond(&dm, s.clone(), a.message.as_ref().unwrap()).unwrap().run(&dm).unwrap();
    let m_as_a = Party::start(&dm, s.clone()).unwrap().run(&dm).unwrap();
    let b = Party::respond(&db, s.clone(), m_as_a.message.as_ref().unwrap()).unwrap().run(&db).unwrap();
    let a2 = a.party.receive(&da, m_as_b.message.as_ref().unwrap()).unwrap().run(&da).unwrap();
    let m2 = m_as_a.party.receive(&dm, b.message.as_ref().unwrap()).unwrap().run(&dm).unwrap();
    let b2 = b.party.receive(&db, m2.message.as_ref().unwrap()).unwrap().run(&db).unwrap();
    assert_ne!(a2.party.session_code(), b2.party.session_code());
    // M cannot hand B A's confirm instead: it does not follow B's transcript.
    assert!(b.party.receive(&db, a2.message.as_ref().unwrap()).is_err());
    // Nor open A's commitment with a nonce of its choosing: B refuses a confirm whose nonce does
    // not open the commitment of the offer it answered.
    let mut wrong = m2.message.clone().unwrap();
    let at = 55 + wrong[54] as usize;
    wrong[at] ^= 1;
    let err = b.party.receive(&db, &reseal(wrong)).err().unwrap();
    assert!(err.to_string().contains("commitment"), "{err}");
}
