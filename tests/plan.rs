//! From overlap to a co-selling plan, on the crm-pair development data (5,125 × 5,000 rows):
//! shapes by the rule table, the score's order and reasons, the suggested shortlist, and the plan
//! message travelling between the partners (naming no account, refusing any that is not in both
//! reports).

use std::path::PathBuf;

use overlap::ingest::{self, Dataset, Field};
use overlap::model::{parse_date, PopulationRole};
use overlap::plan::{rank, role_bit, stage_of, Plan, Ranked, RuleTable, Shape, Side};
use overlap::protocol::plan::PlanStatus;
use overlap::protocol::{MessageError, Party, ProtocolError, Settings, Sharing, Step};
use overlap::report::Report;

fn fixture(name: &str) -> Dataset {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/crm-pair").join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    ingest::read(&bytes, &ingest::Options::default()).expect("the fixture reads")
}

fn settings(sharing: Sharing, fields: &[&str]) -> Settings {
    Settings { sharing, fields: fields.iter().map(|f| f.to_string()).collect(), ..Settings::default() }
}

/// Both parties at the end of a session, with their reports.
struct Done {
    a: Party,
    b: Party,
    ra: Report,
    rb: Report,
}

fn session(da: &Dataset, sa: Settings, db: &Dataset, sb: Settings) -> Done {
    let step = Party::start(da, sa).unwrap().run(da).unwrap();
    let (a, offer) = (step.party, step.message.unwrap());
    let step = Party::respond(db, sb, &offer).unwrap().run(db).unwrap();
    let (b, reply) = (step.party, step.message.unwrap());
    let step = a.receive(da, &reply).unwrap().run(da).unwrap();
    let (mut a, confirm) = (step.party, step.message.unwrap());
    let step = b.receive(db, &confirm).unwrap().run(db).unwrap();
    let b = step.party;
    if let Some(fields) = step.message {
        a = a.receive(da, &fields).unwrap().run(da).unwrap().party;
    }
    // Through the saved state, as the page and the CLI keep it.
    let a = Party::from_bytes(&a.to_bytes()).unwrap();
    let b = Party::from_bytes(&b.to_bytes()).unwrap();
    assert_eq!((a.step(), b.step()), (Step::Done, Step::Done));
    let (ra, rb) = (a.report(da).unwrap().unwrap(), b.report(db).unwrap().unwrap());
    Done { a, b, ra, rb }
}

fn today() -> i64 {
    parse_date("2026-12-01").unwrap()
}

/// The shape the rule table gives a row, computed here from the populations' roles and the
/// deal-stage columns, independently of the scorer.
fn expected_shape(d: &Dataset, r: &Report, row: &overlap::report::MatchedRow, partner_stage: Option<usize>) -> Shape {
    let roles = |pops: &[overlap::model::Population], mask: u16| {
        pops.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).fold(0u8, |a, (_, p)| a | role_bit(p.role))
    };
    let mut mine = roles(&r.my_populations, row.my_populations);
    let mut theirs = roles(&r.partner_populations, row.partner_populations);
    if let Some(c) = d.mapping().get(Field::DealStage) {
        if stage_of(&d.row_fields(row.row as usize)[c.column]).is_some() {
            mine |= role_bit(PopulationRole::Opportunity);
        }
    }
    if let Some(i) = partner_stage {
        if row.partner_cell(i).split(" | ").any(|v| stage_of(v).is_some()) {
            theirs |= role_bit(PopulationRole::Opportunity);
        }
    }
    let t = RuleTable::default();
    let mut best = Shape::Unclassified;
    for (i, m) in PopulationRole::ALL.into_iter().enumerate() {
        for (j, p) in PopulationRole::ALL.into_iter().enumerate() {
            if mine & (1 << i) != 0 && theirs & (1 << j) != 0 {
                best = best.min(t.get(m, p).shape);
            }
        }
    }
    best
}

#[test]
fn crm_pair_shortlist_is_high_confidence_deals_in_score_order() {
    let (da, db) = (fixture("partner_a.csv"), fixture("partner_b.csv"));
    // Co-sell planning: overlaps plus owner and stage on both sides.
    let s = session(
        &da,
        settings(Sharing::Fields, &["Account Owner", "Open Opportunity Stage"]),
        &db,
        settings(Sharing::Fields, &["Company owner", "Open Deal Stage"]),
    );
    for (d, r, stage_field) in [(&da, &s.ra, 1usize), (&db, &s.rb, 1usize)] {
        let ranking = rank(d, r, &RuleTable::default(), today());
        assert_eq!(ranking.len(), r.matches.len());
        // The ranking follows the score, ties in file order.
        for w in ranking.windows(2) {
            assert!(w[0].score > w[1].score || (w[0].score == w[1].score && w[0].row < w[1].row), "{:?} / {:?}", w[0], w[1]);
        }
        // Every account's shape is the rule table's for its populations and stages.
        let mut by_shape = std::collections::BTreeMap::new();
        for x in &ranking {
            let row = &r.matches[x.index];
            assert_eq!(x.rule.shape, expected_shape(d, r, row, Some(stage_field)), "row {}", x.row);
            assert!(
                x.reasons[0].starts_with(&x.rule.shape.label().split(" (").next().unwrap().to_lowercase()),
                "{:?}",
                x.reasons
            );
            *by_shape.entry(x.rule.shape).or_insert(0) += 1;
        }
        // The data has every shape.
        for shape in [Shape::JointPursuit, Shape::CustomerExpansion, Shape::SourceToSource, Shape::SharedCustomer] {
            assert!(by_shape.get(&shape).copied().unwrap_or(0) > 10, "{shape}: {by_shape:?}");
        }
        eprintln!("shapes: {by_shape:?}");
        if std::ptr::eq(d, &da) {
            // A's figures, as the README quotes them.
            let n = |s: Shape| by_shape.get(&s).copied().unwrap_or(0);
            let quote = format!(
                "A's {} overlapping accounts split into {} joint pursuits, {} customer expansions, {} source-to-source, {} shared customers, {} shared targets and {} unclassified",
                ranking.len(),
                n(Shape::JointPursuit),
                n(Shape::CustomerExpansion),
                n(Shape::SourceToSource),
                n(Shape::SharedCustomer),
                n(Shape::SharedTarget),
                n(Shape::Unclassified)
            );
            let readme = std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
            assert!(readme.split_whitespace().collect::<Vec<_>>().join(" ").contains(&quote), "README should say: {quote}");
        }
        for x in ranking.iter().filter(|x| x.rule.shape.is_deal() && x.confidence == overlap::keys::Confidence::High).take(12) {
            eprintln!("  {:>3} {}", x.score, x.reasons.join("; "));
        }
        let plan = Plan::suggest(&ranking, 12, false);
        assert_eq!(plan.entries.len(), 12);
        assert!(plan.warnings().is_empty());
        let top: Vec<&Ranked> = ranking
            .iter()
            .filter(|x| x.rule.shape.is_deal() && x.confidence == overlap::keys::Confidence::High)
            .take(12)
            .collect();
        for (e, x) in plan.entries.iter().zip(&top) {
            assert_eq!(e.row, x.row);
            assert_eq!(x.confidence, overlap::keys::Confidence::High);
            assert!(x.rule.shape.is_deal());
            assert_eq!(e.duties, Some(x.rule.duties()));
            // Joint pursuits rank first: both have open deals, matched on a domain.
            assert!(x.score >= 60, "{x:?}");
        }
        assert_eq!(top[0].rule.shape, Shape::JointPursuit);
        // The partner's owner came with its shared fields.
        assert!(plan.entries.iter().all(|e| !e.partner_owner.is_empty()), "{:?}", plan.entries);
        assert!(plan.entries.iter().all(|e| !e.my_owner.is_empty()));
        // A plan past 15 accounts is a list, and says so.
        let big = Plan::suggest(&ranking, 20, false);
        assert_eq!(big.entries.len(), 20);
        assert!(big.warnings()[0].contains("vertical list"), "{:?}", big.warnings());
    }
}

#[test]
fn the_score_explains_itself() {
    let (da, db) = (fixture("partner_a.csv"), fixture("partner_b.csv"));
    let s = session(&da, settings(Sharing::Overlaps, &[]), &db, settings(Sharing::Fields, &["Company owner", "Open Deal Stage"]));
    let ranking = rank(&da, &s.ra, &RuleTable::default(), today());
    let best = &ranking[0];
    let text = best.reasons.join("; ");
    assert!(text.starts_with("joint pursuit: both have open deals"), "{text}");
    assert!(text.contains("matched on domain"), "{text}");
    assert!(text.contains("your amount "), "{text}");
    assert!(text.contains("the partner's deal: "), "{text}");
    // Name-only matches are told to be verified and sink.
    let possible = ranking.iter().find(|x| x.confidence == overlap::keys::Confidence::Possible).expect("a name-only match");
    assert!(possible.reasons.iter().any(|r| r.contains("verify before outreach")));
    // Editing a cell of the table moves accounts: make shared customers joint pursuits.
    let mut t = RuleTable::default();
    t.edit("customer×customer=joint-pursuit").unwrap();
    let edited = rank(&da, &s.ra, &t, today());
    let shared = |r: &[Ranked]| r.iter().filter(|x| x.rule.shape == Shape::SharedCustomer).count();
    assert!(shared(&ranking) > 0);
    assert!(shared(&edited) < shared(&ranking));
}

#[test]
fn the_plan_travels_without_naming_an_account() {
    let (da, db) = (fixture("partner_a.csv"), fixture("partner_b.csv"));
    let s = session(&da, settings(Sharing::Overlaps, &[]), &db, settings(Sharing::Overlaps, &[]));
    let ranking = rank(&da, &s.ra, &RuleTable::default(), today());
    let mut plan = Plan::suggest(&ranking, 12, false);
    // Sharing overlaps only (no partner stage or owner), the shortlist is still 12 high-confidence
    // deals with the rule table's shapes.
    assert_eq!(plan.entries.len(), 12);
    for e in &plan.entries {
        let x = ranking.iter().find(|x| x.row == e.row).unwrap();
        assert_eq!(x.confidence, overlap::keys::Confidence::High);
        assert!(x.rule.shape.is_deal());
        assert_eq!(x.rule.shape, expected_shape(&da, &s.ra, &s.ra.matches[x.index], None));
    }
    plan.entries[0].next_step = "Intro call with the CFO".into();
    plan.entries[0].next_step_date = "2026-12-15".into();
    plan.entries[0].notes = "Use case: data residency".into();
    let msg = s.a.plan_message(&da, &plan, PlanStatus::Proposal, 1).unwrap();
    // No name or website of A's planned accounts is in the message (owners and notes travel as
    // the user wrote them: they are the plan).
    for e in &plan.entries {
        let cells = da.row_fields(e.row as usize);
        for c in [&cells[1], &cells[2]] {
            assert!(!String::from_utf8_lossy(&msg).contains(c.as_str()), "{c} travels");
        }
    }
    let got = s.b.read_plan(&db, &msg).unwrap();
    assert_eq!((got.status, got.revision, got.plan.entries.len()), (PlanStatus::Proposal, 1, 12));
    // Each entry lands on B's rows for the same account: they share a key with A's row.
    for ((sent, received), rows) in plan.entries.iter().zip(&got.plan.entries).zip(&got.rows) {
        let a_keys: Vec<Vec<u8>> = da.row_keys(sent.row as usize).iter().map(|&k| encode(&da, k)).collect();
        assert!(rows.contains(&received.row));
        assert!(
            rows.iter().all(|&r| db.row_keys(r as usize).iter().any(|&k| a_keys.contains(&encode(&db, k)))),
            "entry {} lands on another account",
            sent.row
        );
        assert!(s.rb.matches.iter().any(|m| m.row == received.row), "not in B's report");
        assert_eq!(received.shape, sent.shape);
        let (d, e) = (sent.duties.unwrap(), received.duties.unwrap());
        assert_eq!((e.lead, e.support, e.close), (d.lead.flip(), d.support.flip(), d.close.flip()));
        assert_eq!(received.partner_owner, sent.my_owner);
    }
    assert_eq!(got.plan.entries[0].next_step, "Intro call with the CFO");
    // B answers with changes; A reads them back onto its own rows.
    let mut answer = got.plan.clone();
    answer.entries[0].next_step_owner = "Ana (partner AE)".into();
    answer.entries.truncate(10);
    let back = s.b.plan_message(&db, &answer, PlanStatus::Changes, 2).unwrap();
    let mine = s.a.read_plan(&da, &back).unwrap();
    assert_eq!(mine.status, PlanStatus::Changes);
    assert_eq!(mine.plan.entries.len(), 10);
    for (i, rows) in mine.rows.iter().enumerate() {
        assert!(rows.contains(&plan.entries[i].row), "entry {i} comes back on A's rows for the account");
    }
    assert_eq!(mine.plan.entries[0].duties, plan.entries[0].duties);
    assert_eq!(mine.plan.entries[0].next_step_owner, "Ana (partner AE)");
    if let Some(Side::Us) = plan.entries[0].duties.map(|d| d.lead) {
        assert_eq!(got.plan.entries[0].duties.unwrap().lead, Side::Partner);
    }
}

fn encode(d: &Dataset, k: u32) -> Vec<u8> {
    let mut v = Vec::new();
    d.keys()[k as usize].encode(&mut v);
    v
}

fn plan_error(e: ProtocolError) -> String {
    e.to_string()
}

#[test]
fn a_hostile_plan_is_refused() {
    let (da, db) = (fixture("partner_a.csv"), fixture("partner_b.csv"));
    let s = session(&da, settings(Sharing::Overlaps, &[]), &db, settings(Sharing::Overlaps, &[]));
    let ranking = rank(&da, &s.ra, &RuleTable::default(), today());
    let plan = Plan::suggest(&ranking, 3, false);
    let good = s.a.plan_message(&da, &plan, PlanStatus::Proposal, 1).unwrap();
    // The body after the header: status 0, revision 1, 3 accounts.
    let body = good.windows(7).position(|w| w == [0, 0, 0, 0, 1, 0, 3]).expect("the body");
    let header_len = body;
    let reseal = |mut m: Vec<u8>| {
        use sha2::{Digest, Sha256};
        let n = m.len() - 32;
        m.truncate(n);
        let sum = Sha256::digest(&m);
        m.extend_from_slice(&sum);
        m
    };
    let first_entry = header_len + 7;
    let mut refused = 0;
    for position in [0u32, 1, 2, 3, 5000, 9999, u32::MAX] {
        let mut m = good.clone();
        m[first_entry..first_entry + 4].copy_from_slice(&position.to_be_bytes());
        let m = reseal(m);
        match s.b.read_plan(&db, &m) {
            Ok(p) => {
                assert!(s.rb.matches.iter().any(|x| x.row == p.plan.entries[0].row), "a position outside the overlap was read")
            }
            Err(ProtocolError::Message(MessageError::Malformed { what })) => {
                assert!(what.contains("not one of this session's overlaps"), "{what}");
                refused += 1;
            }
            Err(e) => panic!("{e}"),
        }
    }
    assert!(refused >= 5, "{refused}");
    // A count the bytes cannot pay for is refused before anything is built.
    let mut m = good.clone();
    m[header_len + 5..header_len + 7].copy_from_slice(&65_535u16.to_be_bytes());
    let e = s.b.read_plan(&db, &reseal(m)).unwrap_err();
    assert!(plan_error(e).contains("accounts in a plan"));
    let mut m = good.clone();
    m[header_len + 5..header_len + 7].copy_from_slice(&100u16.to_be_bytes());
    let e = s.b.read_plan(&db, &reseal(m)).unwrap_err();
    assert!(plan_error(e).contains("more accounts than the message holds"));
    // Another session's plan.
    let other = session(&da, settings(Sharing::Overlaps, &[]), &db, settings(Sharing::Overlaps, &[]));
    let e = other.b.read_plan(&db, &good).unwrap_err();
    assert_eq!(e.code(), "message/other_session");
    // A session where one side shared counts only has no named plan.
    let counts = session(&da, settings(Sharing::Overlaps, &[]), &db, settings(Sharing::Counts, &[]));
    let e = counts.a.plan_message(&da, &plan, PlanStatus::Proposal, 1).unwrap_err();
    assert!(plan_error(e).contains("both sides to share at least overlaps"));
    let e = counts.b.read_plan(&db, &good).unwrap_err();
    assert_eq!(e.code(), "plan");
    // An account A does not share with B cannot be put in a plan.
    let outside = (0..da.row_count() as u32).find(|r| !s.ra.matches.iter().any(|m| m.row == *r)).unwrap();
    let mut bad = plan.clone();
    bad.entries[1].row = outside;
    let e = s.a.plan_message(&da, &bad, PlanStatus::Proposal, 1).unwrap_err();
    assert_eq!(plan_error(e), "plan: account 2 of the plan is not in this session's overlap");
}

#[test]
fn announced_roles_reach_the_partner() {
    // A's own rules with roles given (one overriding the guess from the name), B's defaults.
    let csv_a =
        "Name,Website,Tier,Stage\nAcme,acme.com,gold,Negotiation\nBeta,beta.io,silver,\nGamma,gamma.org,gold,Closed Won\n";
    let csv_b = "Company,Domain,Lifecycle Stage\nAcme,acme.com,customer\nBeta,beta.io,opportunity\nGamma,gamma.org,lead\n";
    let mut o = ingest::Options::default();
    o.populations(Some(vec![
        "Key accounts(customer)=Tier:gold".parse().unwrap(),
        "Partner pipeline(prospect)=Tier:silver".parse().unwrap(),
        "Open deals=Stage:*".parse().unwrap(),
    ]));
    let da = ingest::read(csv_a.as_bytes(), &o).unwrap();
    let db = ingest::read(csv_b.as_bytes(), &ingest::Options::default()).unwrap();
    let roles = |r: &[overlap::model::Population]| r.iter().map(|p| (p.name.clone(), p.role)).collect::<Vec<_>>();
    let s = |sh| Settings { min_population: 1, ..settings(sh, &[]) };
    let x = session(&da, s(Sharing::Overlaps), &db, s(Sharing::Overlaps));
    use PopulationRole::{Customer, Opportunity, Prospect};
    let a_roles =
        vec![("Key accounts".to_string(), Customer), ("Partner pipeline".into(), Prospect), ("Open deals".into(), Opportunity)];
    assert_eq!(roles(&x.ra.my_populations), a_roles);
    assert_eq!(roles(&x.rb.partner_populations), a_roles, "B sees A's roles as A set them");
    assert_eq!(roles(&x.ra.partner_populations), roles(&x.rb.my_populations));
    // "Open deals" took Acme (Negotiation) and not Gamma (Closed Won).
    let ranking = rank(&db, &x.rb, &RuleTable::default(), today());
    let shape_of = |name: &str| {
        let row = (0..db.row_count()).find(|&r| db.row_fields(r)[0] == name).unwrap() as u32;
        ranking.iter().find(|r| r.row == row).unwrap().rule
    };
    // B's customer Acme is A's key account with an open deal: expansion led by B (us).
    assert_eq!(shape_of("Acme").shape, Shape::CustomerExpansion);
    assert_eq!(shape_of("Acme").lead, Side::Us);
    // B's open opportunity Beta is A's prospect: source to source from B.
    assert_eq!((shape_of("Beta").shape, shape_of("Beta").lead), (Shape::SourceToSource, Side::Us));
    // B's lead Gamma is A's key account (customer): expansion led by A.
    assert_eq!((shape_of("Gamma").shape, shape_of("Gamma").lead), (Shape::CustomerExpansion, Side::Partner));
}
