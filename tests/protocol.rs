//! The private protocol end to end: property tests against a brute-force intersection, every
//! fault with its own error, the counts level hiding rows, no key in any message, party state.

use std::collections::BTreeSet;

use overlap::ingest::{self, Dataset};
use overlap::protocol::group::SecretScalar;
use overlap::protocol::messages::{Answers, Expect, Reply};
use overlap::protocol::{MessageError, Party, ProtocolError, Settings, Sharing, Step};
use overlap::report::{MatrixUnit, Report};
use proptest::prelude::*;
use sha2::{Digest, Sha256};

/// One generated row: (company, type, how its website is written, another company).
type RowSpec = (u64, usize, u8, u64);

const TYPES: [&str; 3] = ["Customer", "Prospect", "Partner"];

/// Rows drawn from a universe of `universe` companies; some rows repeat a company.
fn rows(n: std::ops::Range<usize>, universe: u64) -> impl Strategy<Value = Vec<RowSpec>> {
    prop::collection::vec((0..universe, 0..3usize, 0..10u8, 0..universe), n)
}

/// The city of generated row `i` of company `c`: usually the company's, sometimes another (a
/// namesake elsewhere), sometimes blank.
fn city_of(c: u64, other: u64, how: u8) -> String {
    match how % 4 {
        0 => String::new(),
        1 => format!("Town {}", other % 3),
        _ => format!("Town {}", c % 5),
    }
}

/// The CSV of generated rows. Some rows have no website (name keys only), some a website of
/// another company with the same name: paired name keys must match only where one side has no
/// domain.
fn export_of(spec: &[RowSpec]) -> String {
    let mut s = String::from("Name,Website,Type,Owner,City\n");
    for (i, &(c, t, how, other)) in spec.iter().enumerate() {
        let site = match how {
            0 => String::new(),
            1 => format!("https://www.other{other}.com/"),
            _ => format!("https://www.company{c}.com/"),
        };
        s.push_str(&format!("Company {c},{site},{},Owner {i},{}\n", TYPES[t], city_of(c, other, how.wrapping_add(i as u8))));
    }
    s
}

/// A fixed export of `n` rows over `universe` companies, the same on every run (seed `seed`).
fn export(seed: u8, n: usize, universe: u64) -> String {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
    let mut runner = TestRunner::new_with_rng(Config::default(), TestRng::from_seed(RngAlgorithm::ChaCha, &[seed; 32]));
    export_of(&rows(n..n + 1, universe).new_tree(&mut runner).expect("a value").current())
}

fn dataset(csv: &str) -> Dataset {
    ingest::read(csv.as_bytes(), &ingest::Options::default()).expect("test CSV is valid")
}

fn settings(sharing: Sharing) -> Settings {
    Settings {
        sharing,
        fields: if sharing == Sharing::Fields { vec!["Owner".into()] } else { vec![] },
        min_population: 1,
        ..Settings::default()
    }
}

struct Exchange {
    a: Report,
    b: Report,
    messages: Vec<Vec<u8>>,
    states: Vec<Vec<u8>>,
}

/// Runs every message, passing each party through its serialized state between steps.
fn exchange(da: &Dataset, sa: Settings, db: &Dataset, sb: Settings) -> Result<Exchange, ProtocolError> {
    let mut messages = Vec::new();
    let mut states = Vec::new();
    let step = Party::start(da, sa)?.run(da)?;
    let offer = step.message.unwrap();
    let mut a_state = step.party.to_bytes();
    states.push(a_state.clone());
    messages.push(offer.clone());

    let step = Party::respond(db, sb, &offer)?.run(db)?;
    let reply = step.message.unwrap();
    let b_state = step.party.to_bytes();
    states.push(b_state.clone());
    messages.push(reply.clone());

    let a = Party::from_bytes(&a_state)?;
    let step = a.receive(da, &reply)?.run(da)?;
    let confirm = step.message.unwrap();
    a_state = step.party.to_bytes();
    states.push(a_state.clone());
    messages.push(confirm.clone());
    let a_after_confirm = step.party.step();

    let b = Party::from_bytes(&b_state)?;
    let step = b.receive(db, &confirm)?.run(db)?;
    assert_eq!(step.party.step(), Step::Done);
    let b_final = step.party;
    states.push(b_final.to_bytes());
    let mut a_final = Party::from_bytes(&a_state)?;
    if let Some(fields) = step.message {
        assert_eq!(a_after_confirm, Step::AwaitFields);
        messages.push(fields.clone());
        a_final = a_final.receive(da, &fields)?.run(da)?.party;
    } else {
        assert_eq!(a_after_confirm, Step::Done);
    }
    assert_eq!(a_final.step(), Step::Done);
    Ok(Exchange { a: a_final.report(da)?.unwrap(), b: b_final.report(db)?.unwrap(), messages, states })
}

/// The elements a key stands for, written independently of the implementation from the rules in
/// docs/PROTOCOL.md: a paired name key matches only when at least one of the two rows has no
/// other key (role tokens 1: A's row has one, B's not; 2: the reverse; 3: neither), and only where
/// the rows' cities agree or one of them has none (place tokens `=c`: same city; y: A has one, B
/// not; z: the reverse; w: neither).
fn encodings(k: &overlap::keys::Key, starter: bool) -> Vec<String> {
    let s = k.to_string();
    let (base, beside) = match (s.strip_suffix("|+"), s.strip_suffix("|-")) {
        (Some(b), _) if k.kind == overlap::keys::KeyKind::Name => (b.to_string(), true),
        (_, Some(b)) if k.kind == overlap::keys::KeyKind::Name => (b.to_string(), false),
        _ => return vec![s],
    };
    let (name, city) = match base.split_once('@') {
        Some((n, c)) => (n.to_string(), Some(c.to_string())),
        None => (base, None),
    };
    let roles: &[&str] = match (starter, beside) {
        (true, true) => &["1"],
        (true, false) => &["2", "3"],
        (false, true) => &["2"],
        (false, false) => &["1", "3"],
    };
    let places: Vec<String> = match (starter, &city) {
        (true, Some(c)) => vec![format!("={c}"), "y".into()],
        (true, None) => vec!["z".into(), "w".into()],
        (false, Some(c)) => vec![format!("={c}"), "z".into()],
        (false, None) => vec!["y".into(), "w".into()],
    };
    let mut out = Vec::new();
    for r in roles {
        for p in &places {
            out.push(format!("{name}#{r}{p}"));
        }
    }
    out
}

/// Each element (encoding) of a dataset with its population bits.
fn element_set(d: &Dataset, starter: bool) -> std::collections::HashMap<String, u16> {
    let mut m = std::collections::HashMap::new();
    for (k, &l) in d.keys().iter().zip(d.key_populations()) {
        for e in encodings(k, starter) {
            *m.entry(e).or_insert(0) |= l;
        }
    }
    m
}

fn common_elements(mine: &Dataset, mine_starts: bool, theirs: &Dataset) -> usize {
    let t = element_set(theirs, !mine_starts);
    element_set(mine, mine_starts).keys().filter(|e| t.contains_key(*e)).count()
}

/// Rows of `mine` having an element in `theirs`, brute force.
fn true_rows(mine: &Dataset, mine_starts: bool, theirs: &Dataset) -> Vec<u32> {
    let t = element_set(theirs, !mine_starts);
    (0..mine.row_count())
        .filter(|&r| {
            mine.row_keys(r).iter().any(|&k| encodings(&mine.keys()[k as usize], mine_starts).iter().any(|e| t.contains_key(e)))
        })
        .map(|r| r as u32)
        .collect()
}

/// The element-level matrix, brute force: (my element populations × theirs).
fn true_pairs_matrix(mine: &Dataset, mine_starts: bool, theirs: &Dataset) -> Vec<Vec<u64>> {
    let t = element_set(theirs, !mine_starts);
    let mut m = vec![vec![0u64; theirs.populations().len()]; mine.populations().len()];
    for (e, lm) in element_set(mine, mine_starts) {
        if let Some(&lt) = t.get(&e) {
            for (i, row) in m.iter_mut().enumerate() {
                for (jj, cell) in row.iter_mut().enumerate() {
                    if lm & (1 << i) != 0 && lt & (1 << jj) != 0 {
                        *cell += 1;
                    }
                }
            }
        }
    }
    m
}

fn check(x: &Exchange, da: &Dataset, sa: Sharing, db: &Dataset, sb: Sharing) {
    let common = common_elements(da, true, db);
    // A's view is decided by B's sharing, and B's by A's.
    for (report, mine, starts, theirs, giver) in [(&x.a, da, true, db, sb), (&x.b, db, false, da, sa)] {
        assert_eq!(report.matched_elements, common);
        assert_eq!(report.partner_set_size, element_set(theirs, !starts).len());
        if giver.reveals_rows() {
            assert_eq!(report.matrix_unit, MatrixUnit::Rows);
            let rows: Vec<u32> = report.matches.iter().map(|m| m.row).collect();
            assert_eq!(rows, true_rows(mine, starts, theirs));
        } else {
            assert_eq!(report.matrix_unit, MatrixUnit::Elements);
            assert!(report.matches.is_empty(), "counts level reveals no row");
            assert_eq!(report.matrix, true_pairs_matrix(mine, starts, theirs));
        }
    }
}

fn level() -> impl Strategy<Value = Sharing> {
    prop_oneof![Just(Sharing::Counts), Just(Sharing::Overlaps), Just(Sharing::Fields)]
}

/// Two exports over one universe, of 1 to 300 rows each, and each side's sharing level.
fn pair() -> impl Strategy<Value = (Vec<RowSpec>, Vec<RowSpec>, Sharing, Sharing)> {
    (1..400u64).prop_flat_map(|u| (rows(1..300, u), rows(1..300, u), level(), level()))
}

proptest! {
    // Each case is a whole exchange: a few dozen cases cover the sizes and level pairs, and a
    // failure shrinks to the smallest pair of exports that shows it.
    #![proptest_config(ProptestConfig { cases: 36, ..ProptestConfig::default() })]
    #[test]
    fn random_sets_of_all_sizes_give_the_true_intersection((a, b, sa, sb) in pair()) {
        let (da, db) = (dataset(&export_of(&a)), dataset(&export_of(&b)));
        let x = exchange(&da, settings(sa), &db, settings(sb)).expect("exchange");
        check(&x, &da, sa, &db, sb);
    }
}

#[test]
fn fields_travel_only_for_overlapping_accounts() {
    let da = dataset("Name,Website,Type,Owner\nA1,a.com,Customer,Alice\nA2,b.com,Prospect,Arthur\nA3,only-a.com,Customer,Ann\n");
    let db = dataset("Name,Website,Type,Owner\nB1,a.com,Customer,Bob\nB2,b.com,Customer,Bea\nB3,b.com,Partner,Bill\nB4,only-b.com,Customer,Barbara\n");
    let x = exchange(&da, settings(Sharing::Fields), &db, settings(Sharing::Fields)).unwrap();
    assert_eq!(x.messages.len(), 4);
    assert_eq!(x.a.partner_fields, vec!["Owner".to_string()]);
    let a_vals: Vec<_> = x.a.matches.iter().map(|m| m.partner_values.clone()).collect();
    assert_eq!(a_vals, vec![vec![vec!["Bob".to_string()]], vec![vec!["Bea".to_string()], vec!["Bill".to_string()]]]);
    let b_vals: Vec<_> = x.b.matches.iter().map(|m| m.partner_values.concat()).collect();
    assert_eq!(b_vals, vec![vec!["Alice"], vec!["Arthur"], vec!["Arthur"]]);
    let all = x.messages.concat();
    for owner in ["Ann", "Barbara"] {
        assert!(!contains(&all, owner.as_bytes()), "{owner} is not an overlapping account's field");
    }
    let csv = String::from_utf8(x.a.to_csv(&da)).unwrap();
    assert!(csv.lines().next().unwrap().ends_with(",partner_Owner"), "{csv}");
    assert!(csv.contains("Bea | Bill"), "{csv}");
}

#[test]
fn fields_are_not_sent_to_a_partner_who_shares_counts() {
    let da = dataset(&export(1, 40, 30));
    let db = dataset(&export(2, 40, 30));
    let x = exchange(&da, settings(Sharing::Fields), &db, settings(Sharing::Counts)).unwrap();
    assert_eq!(x.messages.len(), 3);
    assert!(x.a.warnings.iter().any(|w| w.contains("fields were not sent")));
    assert!(x.b.partner_fields.is_empty());
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    needle.len() <= hay.len() && hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn no_message_or_state_holds_a_plain_or_hashed_key() {
    let da = dataset(&export(7, 200, 150));
    let db = dataset(&export(8, 200, 150));
    let x = exchange(&da, settings(Sharing::Overlaps), &db, settings(Sharing::Overlaps)).unwrap();
    let blobs: Vec<&Vec<u8>> = x.messages.iter().chain(x.states.iter()).collect();
    for d in [&da, &db] {
        for k in d.keys() {
            let mut enc = Vec::new();
            k.encode(&mut enc);
            let forms = [
                k.value.as_bytes().to_vec(),
                k.to_string().into_bytes(),
                Sha256::digest(k.value.as_bytes()).to_vec(),
                Sha256::digest(k.to_string().as_bytes()).to_vec(),
                Sha256::digest(&enc).to_vec(),
            ];
            for blob in &blobs {
                for f in &forms {
                    assert!(!contains(blob, f), "a message or state holds a form of a key");
                }
            }
        }
    }
}

#[test]
fn counts_level_answers_shuffled_and_reveals_no_row() {
    let da = dataset(&export(3, 300, 200));
    let db = dataset(&export(4, 300, 200));
    let x = exchange(&da, settings(Sharing::Counts), &db, settings(Sharing::Counts)).unwrap();
    assert!(x.a.matches.is_empty() && x.b.matches.is_empty());
    assert!(x.a.matched_elements > 0);
    // The reply's Z_A is sorted by point, not in A's order, and carries A's own labels only.
    let offer_len = element_set(&da, true).len();
    let session = overlap::protocol::wire::open(&x.messages[0]).unwrap().0.session;
    let t1 = overlap::protocol::transcript::after(&[0; 32], &x.messages[0]);
    let expect = Expect { session: Some(&session), transcript: &t1, max_set: 1 << 20 };
    let reply = Reply::decode(&x.messages[1], &expect, offer_len, offer_len, da.populations().len()).unwrap();
    match reply.answers {
        Answers::Shuffled(v) => {
            assert!(v.windows(2).all(|w| w[0].point < w[1].point));
        }
        other => panic!("counts level must shuffle, got {other:?}"),
    }
    let csv = String::from_utf8(x.a.to_csv(&da)).unwrap();
    assert_eq!(csv.lines().count(), 1, "no row in a counts-only report");
}

#[test]
fn counts_level_refuses_structures_that_single_out_rows() {
    let da = dataset(&export(5, 100, 80));
    // B's whole set is three accounts: a group that small would let A single them out.
    let db = dataset("Name,Website,Type,Owner\nX,x1.com,Customer,O\nY,y1.com,Customer,O\nZ,z1.com,Customer,O\n");
    let strict = Settings { min_population: 10, ..settings(Sharing::Counts) };
    // A shares counts: it refuses B's reply before answering it.
    let offer = Party::start(&da, strict).unwrap().run(&da).unwrap();
    let reply = Party::respond(&db, settings(Sharing::Overlaps), offer.message.as_ref().unwrap()).unwrap().run(&db).unwrap();
    let err = offer.party.receive(&da, reply.message.as_ref().unwrap()).err().expect("refused");
    assert!(matches!(err, ProtocolError::Unsafe(_)), "{err}");
    assert!(err.to_string().contains("elements; when sharing counts each must hold at least 10"), "{err}");
    // B shares counts: it refuses an offer with more populations than it accepts.
    let many = Settings { max_populations: 0, ..settings(Sharing::Counts) };
    let err = Party::respond(&db, many, offer.message.as_ref().unwrap()).err().expect("refused");
    assert!(matches!(err, ProtocolError::Unsafe(_)) && err.to_string().contains("populations"), "{err}");
}

fn reseal(mut msg: Vec<u8>) -> Vec<u8> {
    let n = msg.len() - 32;
    let sum = Sha256::digest(&msg[..n]);
    msg[n..].copy_from_slice(&sum);
    msg
}

fn message_error(e: ProtocolError) -> MessageError {
    match e {
        ProtocolError::Message(m) => m,
        other => panic!("expected a message error, got {other}"),
    }
}

#[test]
fn every_fault_has_its_own_error() {
    let da = dataset(&export(9, 50, 40));
    let db = dataset(&export(10, 50, 40));
    let s = settings(Sharing::Overlaps);
    let a = Party::start(&da, s.clone()).unwrap().run(&da).unwrap();
    let offer = a.message.clone().unwrap();
    let b = Party::respond(&db, s.clone(), &offer).unwrap().run(&db).unwrap();
    let reply = b.message.clone().unwrap();
    let take = |msg: &[u8]| message_error(a.party.receive(&da, msg).err().expect("refused"));
    let respond = |msg: &[u8]| message_error(Party::respond(&db, s.clone(), msg).err().expect("refused"));

    assert_eq!(take(b"Name,Website\n"), MessageError::BadMagic);
    assert!(matches!(take(&reply[..40]), MessageError::Truncated { .. }));
    let mut v = reply.clone();
    v[4] = 9;
    assert_eq!(take(&v), MessageError::UnknownVersion { found: 9, supported: 2 });
    let mut v = reply.clone();
    v[100] ^= 0x40;
    assert_eq!(take(&v), MessageError::Corrupted);
    assert!(matches!(take(&offer), MessageError::OutOfOrder { expected: "reply", found: "offer" }));
    // Another session: A's state from a second offer does not take this reply.
    let other = Party::start(&da, s.clone()).unwrap().run(&da).unwrap();
    assert_eq!(message_error(other.party.receive(&da, &reply).err().unwrap()), MessageError::OtherSession);
    // Same session, stale transcript: a reply to an offer that was altered.
    let mut v = reply.clone();
    v[30] ^= 1;
    assert_eq!(take(&reseal(v)), MessageError::TranscriptMismatch);
    // Normalization version (length byte at 54, then the version string).
    let mut v = reply.clone();
    v[55 + 13] = b'9';
    assert!(matches!(take(&reseal(v)), MessageError::NormalizationMismatch { .. }));
    // The reply's tail: answers (order byte, count, n × 32), tags (count, m × 14), checksum.
    let (na, nb) = (element_set(&da, true).len(), element_set(&db, false).len());
    let tags_at = reply.len() - 32 - 14 * nb;
    let answers_at = tags_at - 4 - 32 * na;
    // Count mismatch: the reply answers fewer elements than offered (answer count field).
    let mut v = reply.clone();
    v[answers_at - 1] ^= 1;
    assert!(matches!(take(&reseal(v)), MessageError::CountMismatch { .. }));
    // Invalid point: the first answer replaced by a non-point (found when A unblinds it).
    let mut w = reply.clone();
    w[answers_at..answers_at + 32].copy_from_slice(&[0xfe; 32]);
    let err = message_error(a.party.receive(&da, &reseal(w)).unwrap().run(&da).err().unwrap());
    assert_eq!(err, MessageError::InvalidPoint { index: 0 });
    // Duplicate element: B's second tag equal to its first.
    let mut v = reply.clone();
    let first: Vec<u8> = v[tags_at..tags_at + 12].to_vec();
    v[tags_at + 14..tags_at + 26].copy_from_slice(&first);
    assert_eq!(take(&reseal(v)), MessageError::DuplicateElement { index: 1 });
    // Oversize: B refuses an offer above its limit.
    let small = Settings { max_partner_set: 3, ..s.clone() };
    let err = message_error(Party::respond(&db, small, &offer).err().unwrap());
    assert_eq!(err, MessageError::Oversize { what: "set size", limit: 3, found: na });
    // Trailing bytes.
    let mut v = offer.clone();
    v.insert(v.len() - 32, 0);
    assert!(matches!(respond(&reseal(v)), MessageError::TrailingBytes { count: 1 }));
    // Every fault's code is distinct.
    let codes: BTreeSet<&str> = [
        MessageError::BadMagic,
        MessageError::Truncated { what: "x" },
        MessageError::UnknownVersion { found: 0, supported: 1 },
        MessageError::Corrupted,
        MessageError::OutOfOrder { expected: "a", found: "b" },
        MessageError::OtherSession,
        MessageError::TranscriptMismatch,
        MessageError::NormalizationMismatch { mine: "a".into(), theirs: "b".into() },
        MessageError::CountMismatch { what: "x", expected: 1, found: 2 },
        MessageError::InvalidPoint { index: 0 },
        MessageError::DuplicateElement { index: 0 },
        MessageError::Oversize { what: "x", limit: 1, found: 2 },
        MessageError::UnprovenClaim { index: 0 },
    ]
    .iter()
    .map(MessageError::code)
    .collect();
    assert_eq!(codes.len(), 13);
}

#[test]
fn state_is_bound_to_its_dataset_and_refuses_after_the_end() {
    let da = dataset(&export(11, 30, 40));
    let db = dataset(&export(12, 30, 40));
    let s = settings(Sharing::Overlaps);
    let a = Party::start(&da, s.clone()).unwrap().run(&da).unwrap();
    let b = Party::respond(&db, s.clone(), a.message.as_ref().unwrap()).unwrap().run(&db).unwrap();
    let err = a.party.receive(&db, b.message.as_ref().unwrap()).err().unwrap();
    assert_eq!(err, ProtocolError::DatasetMismatch { same_file: false });
    let done = a.party.receive(&da, b.message.as_ref().unwrap()).unwrap().run(&da).unwrap();
    assert_eq!(done.party.step(), Step::Done);
    assert_eq!(done.party.receive(&da, b.message.as_ref().unwrap()).err().unwrap(), ProtocolError::Finished);
    // A damaged or foreign state is named.
    let mut st = done.party.to_bytes();
    st[60] ^= 1;
    assert!(Party::from_bytes(&st).err().unwrap().to_string().contains("damaged"));
    assert!(Party::from_bytes(b"Website\n").err().unwrap().to_string().contains("not an overlap session state"));
}

#[test]
fn fixed_scalars_give_the_same_messages() {
    let da = dataset("Name,Website,Type\nA,acme.com,Customer\nB,beta.io,Prospect\n");
    let db = dataset("Name,Website,Type\nA,acme.com,Customer\nG,gamma.org,Customer\n");
    let scalar = |n: u8| {
        let mut b = [0u8; 32];
        b[0] = n;
        SecretScalar::from_bytes(&b).unwrap()
    };
    let run = || {
        let a = Party::start_with(&da, settings(Sharing::Overlaps), scalar(3), [7; 16], [8; 32]).unwrap().run(&da).unwrap();
        let b = Party::respond_with(&db, settings(Sharing::Overlaps), a.message.as_ref().unwrap(), scalar(5), [9; 32])
            .unwrap()
            .run(&db)
            .unwrap();
        (a.message.unwrap(), b.message.unwrap())
    };
    assert_eq!(run(), run());
}

// ---- known-answer vectors (tests/vectors/protocol.json, also quoted in docs/PROTOCOL.md) ----

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn scalar_hex(h: &str) -> SecretScalar {
    let v: Vec<u8> = (0..h.len()).step_by(2).map(|i| u8::from_str_radix(&h[i..i + 2], 16).unwrap()).collect();
    SecretScalar::from_bytes(&v.try_into().unwrap()).expect("canonical scalar")
}

/// Computes every vector from its inputs.
fn compute_vectors() -> serde_json::Value {
    use overlap::keys::{Key, KeyKind};
    use overlap::protocol::group;
    let a_hex = "0300000000000000000000000000000000000000000000000000000000000000";
    let b_hex = "0500000000000000000000000000000000000000000000000000000000000000";
    let (a, b) = (scalar_hex(a_hex), scalar_hex(b_hex));
    let keys = [
        Key::new(KeyKind::Domain, "acme.com"),
        Key::new(KeyKind::Domain, "example.co.uk"),
        Key::new(KeyKind::Duns, "150483782"),
        Key::new(KeyKind::Linkedin, "acme-corp"),
        Key::new(KeyKind::Name, "acme|US"),
    ];
    let group_vectors: Vec<_> = keys
        .iter()
        .map(|k| {
            let mut enc = Vec::new();
            k.encode(&mut enc);
            let h = group::hash_to_group(&enc).compress();
            let (mut xa, mut zab, mut fb) = (Vec::new(), Vec::new(), Vec::new());
            group::hash_and_blind(&a, &enc, &[0, enc.len() as u32], &mut xa);
            group::blind(&b, &xa, 0, &mut zab).unwrap();
            group::hash_and_blind(&b, &enc, &[0, enc.len() as u32], &mut fb);
            let o = overlap::protocol::oprf::output(&[0x11; 16], &fb.clone().try_into().unwrap());
            serde_json::json!({
                "key": k.to_string(),
                "encoded": hex(&enc),
                "hash_to_group": hex(h.as_bytes()),
                "query_r": hex(&xa),
                "answer_rk": hex(&zab),
                "prf_k": hex(&fb),
                "output_session_11": hex(&o),
                "tag": hex(&overlap::protocol::oprf::tag(&o)),
                "proof": hex(&overlap::protocol::oprf::proof(&o)),
            })
        })
        .collect();
    let csv_a = "Name,Website,Type,Owner\nAcme,https://www.acme.com/,Customer,Alice\nBeta,beta.io,Prospect,Arthur\n";
    let csv_b = "Name,Website,Type,Owner\nACME Inc,acme.com,Customer,Bob\nGamma,gamma.org,Customer,Bea\n";
    let (da, db) = (dataset(csv_a), dataset(csv_b));
    let s = settings(Sharing::Overlaps);
    let session = [0x11u8; 16];
    let st = Party::start_with(&da, s.clone(), scalar_hex(a_hex), session, [0x22; 32]).unwrap().run(&da).unwrap();
    let offer = st.message.unwrap();
    let rb = Party::respond_with(&db, s.clone(), &offer, scalar_hex(b_hex), [0x33; 32]).unwrap().run(&db).unwrap();
    let reply = rb.message.unwrap();
    let fa = st.party.receive(&da, &reply).unwrap().run(&da).unwrap();
    let confirm = fa.message.unwrap();
    let fb = rb.party.receive(&db, &confirm).unwrap().run(&db).unwrap();
    // A's joint plan for its one overlapping account (PROTOCOL.md §4a), and where B reads it.
    use overlap::plan::{Duties, Entry, Plan, Shape, Side};
    let entry = Entry {
        row: 0,
        shape: Some(Shape::CustomerExpansion),
        duties: Some(Duties { lead: Side::Us, support: Side::Partner, close: Side::Partner }),
        my_owner: "Alice".into(),
        next_step: "Intro call".into(),
        next_step_date: "2026-12-15".into(),
        ..Entry::default()
    };
    let plan =
        fa.party.plan_message(&da, &Plan { entries: vec![entry] }, overlap::protocol::plan::PlanStatus::Proposal, 1).unwrap();
    let read = fb.party.read_plan(&db, &plan).unwrap();
    let rows = |r: Report| r.matches.iter().map(|m| m.row).collect::<Vec<_>>();
    serde_json::json!({
        "about": "Known-answer vectors for overlap's private protocol (docs/PROTOCOL.md). Scalars are little-endian canonical encodings. Regenerate with OVERLAP_UPDATE_VECTORS=1 cargo test --test protocol known_answer after a deliberate change.",
        "dst": String::from_utf8_lossy(group::DST),
        "scalar_r": a_hex,
        "scalar_k": b_hex,
        "group": group_vectors,
        "exchange": {
            "normalization": overlap::normalize::VERSION,
            "session": hex(&session),
            "sharing_a": "overlaps",
            "sharing_b": "overlaps",
            "csv_a": csv_a,
            "csv_b": csv_b,
            "offer": hex(&offer),
            "reply": hex(&reply),
            "confirm": hex(&confirm),
            "rows_a": rows(fa.party.report(&da).unwrap().unwrap()),
            "rows_b": rows(fb.party.report(&db).unwrap().unwrap()),
            "session_code": fa.party.session_code(),
            "plan_a": hex(&plan),
            "plan_rows_b": read.rows,
            "plan_lead_b": read.plan.entries[0].duties.map(|d| d.lead.as_str()),
        }
    })
}

#[test]
fn known_answer_vectors() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/protocol.json");
    let computed = compute_vectors();
    if std::env::var_os("OVERLAP_UPDATE_VECTORS").is_some() {
        std::fs::write(&path, serde_json::to_string_pretty(&computed).unwrap() + "\n").unwrap();
        return;
    }
    let stored: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).expect("vectors file")).unwrap();
    assert_eq!(stored["group"], computed["group"], "group vectors (hash to group, blinding) changed");
    assert_eq!(
        stored["exchange"], computed["exchange"],
        "message vectors changed: a wire or normalization change? regenerate deliberately"
    );
}

#[test]
fn protocol_doc_quotes_the_current_vectors() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/PROTOCOL.md")).unwrap();
    let v = compute_vectors();
    for field in ["encoded", "hash_to_group", "query_r", "answer_rk", "prf_k", "output_session_11", "tag", "proof"] {
        let h = v["group"][0][field].as_str().unwrap();
        assert!(doc.contains(h), "docs/PROTOCOL.md must quote {field} = {h}");
    }
}

#[test]
fn reports_do_not_depend_on_the_session() {
    // Fresh scalars shuffle every list differently; the reports (rows, values, matrix) must not move.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let da = ingest::read(&std::fs::read(root.join("partner_a.csv")).unwrap(), &ingest::Options::new()).unwrap();
    let db = ingest::read(&std::fs::read(root.join("partner_b.csv")).unwrap(), &ingest::Options::new()).unwrap();
    let sa = Settings { fields: vec!["Account Owner".into()], ..settings(Sharing::Fields) };
    let sb = Settings { fields: vec!["Company owner".into()], ..settings(Sharing::Fields) };
    let runs: Vec<(Vec<u8>, Vec<u8>, Vec<u8>)> = (0..4)
        .map(|_| {
            let x = exchange(&da, sa.clone(), &db, sb.clone()).unwrap();
            (x.a.to_csv(&da), x.b.to_csv(&db), x.a.matrix_csv())
        })
        .collect();
    assert!(runs.windows(2).all(|w| w[0] == w[1]));
    assert!(runs[0].0.len() > 1000, "a real overlap");
}

/// A message of another session is "another session" whatever its sizes: the session id in the
/// header is decided before any count (a count mismatch would wrongly ask for the same file again).
#[test]
fn another_sessions_message_is_named_so_before_its_sizes_are_checked() {
    let s = settings(Sharing::Overlaps);
    let (da, db) = (dataset(&export(21, 60, 50)), dataset(&export(22, 40, 50)));
    // A's second mapping, from another export of another size, and B's answer to it.
    let da2 = dataset(&export(23, 25, 50));
    assert_ne!(element_set(&da, true).len(), element_set(&da2, true).len());
    let a = Party::start(&da, s.clone()).unwrap().run(&da).unwrap();
    let a2 = Party::start(&da2, s.clone()).unwrap().run(&da2).unwrap();
    let b2 = Party::respond(&db, s.clone(), a2.message.as_ref().unwrap()).unwrap().run(&db).unwrap();
    let reply2 = b2.message.clone().unwrap();
    assert_eq!(message_error(a.party.receive(&da, &reply2).err().expect("refused")), MessageError::OtherSession);
    // B's side: a confirm of another session, with other counts, is another session's too.
    let b = Party::respond(&db, s.clone(), a.message.as_ref().unwrap()).unwrap().run(&db).unwrap();
    let confirm2 = a2.party.receive(&da2, &reply2).unwrap().run(&da2).unwrap().message.unwrap();
    assert_eq!(message_error(b.party.receive(&db, &confirm2).err().expect("refused")), MessageError::OtherSession);
}
