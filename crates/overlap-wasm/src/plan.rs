//! The co-selling plan for JavaScript: ranking, the suggested shortlist, plan CSV, the rule
//! table, and the plan message on a finished party. Options and entries cross as plain objects.
//!
//! Options (`PlanOptions`): `{ rules: ['customer×customer=joint-pursuit', …], today:
//! 'YYYY-MM-DD' (default: the platform's date), size: 12, likely: false }`.
//! An entry: `{ row, shape, lead, support, close, myOwner, partnerOwner, nextStep,
//! nextStepOwner, nextStepDate, forecastDate, notes }` (shape and sides as words).

use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;

use overlap::model::parse_date;
use overlap::plan::{self, Duties, Entry, Plan, Ranked, RuleTable, Shape, Side};
use overlap::protocol::plan::PlanStatus;

use crate::interop::{error, get, get_count, get_string, protocol_error, set, strings, texts};
use crate::{Dataset, Party, Report};

fn table(options: &JsValue) -> Result<RuleTable, JsValue> {
    let mut t = RuleTable::default();
    if let Some(v) = get(options, "rules") {
        for spec in strings(&v, "rules")? {
            t.edit(&spec).map_err(|e| error("options", e))?;
        }
    }
    Ok(t)
}

fn today(options: &JsValue) -> Result<i64, JsValue> {
    match get_string(options, "today")? {
        Some(d) => parse_date(&d).ok_or_else(|| error("options", "today must be a date (YYYY-MM-DD)")),
        None => Ok((js_sys::Date::now() / 86_400_000.0).floor() as i64),
    }
}

fn ranked(r: &Ranked) -> JsValue {
    let o: JsValue = Object::new().into();
    set(&o, "row", r.row);
    set(&o, "shape", r.rule.shape.as_str());
    set(&o, "lead", r.rule.lead.as_str());
    set(&o, "score", r.score);
    set(&o, "reasons", texts(&r.reasons));
    set(&o, "confidence", r.confidence.as_str());
    set(&o, "myOwner", r.my_owner.as_str());
    set(&o, "partnerOwner", r.partner_owner.as_str());
    o
}

pub(crate) fn entry_out(e: &Entry) -> JsValue {
    let o: JsValue = Object::new().into();
    set(&o, "row", e.row);
    let word = |s: Option<&'static str>| s.map_or(JsValue::UNDEFINED, JsValue::from_str);
    set(&o, "shape", word(e.shape.map(Shape::as_str)));
    set(&o, "lead", word(e.duties.map(|d| d.lead.as_str())));
    set(&o, "support", word(e.duties.map(|d| d.support.as_str())));
    set(&o, "close", word(e.duties.map(|d| d.close.as_str())));
    for (k, v) in ENTRY_TEXTS.iter().zip(e.texts()) {
        set(&o, k, v.as_str());
    }
    o
}

/// The texts of an entry, in [`Entry::texts`] order.
const ENTRY_TEXTS: [&str; 7] = ["myOwner", "partnerOwner", "nextStep", "nextStepOwner", "nextStepDate", "forecastDate", "notes"];

fn entry_in(v: &JsValue, i: usize) -> Result<Entry, JsValue> {
    let bad = |what: &str| error("options", format!("plan entry {}: {what}", i + 1));
    let row = get_count(v, "row")?
        .filter(|r| r.fract() == 0.0 && *r <= f64::from(u32::MAX))
        .ok_or_else(|| bad("row must be a row number"))? as u32;
    let shape = get_string(v, "shape")?.map(|s| s.parse::<Shape>().map_err(|e| bad(&e.to_string()))).transpose()?;
    let side = |k: &str| -> Result<Option<Side>, JsValue> {
        get_string(v, k)?.map(|s| s.parse::<Side>().map_err(|e| bad(&e.to_string()))).transpose()
    };
    let (lead, support, close) = (side("lead")?, side("support")?, side("close")?);
    let duties = match (lead, support, close) {
        (Some(lead), Some(support), Some(close)) => Some(Duties { lead, support, close }),
        (None, None, None) => None,
        _ => return Err(bad("give lead, support and close together")),
    };
    let mut e = Entry { row, shape, duties, ..Entry::default() };
    let mut texts: [String; 7] = Default::default();
    for (k, t) in ENTRY_TEXTS.iter().zip(texts.iter_mut()) {
        *t = get_string(v, k)?.unwrap_or_default();
    }
    let [my_owner, partner_owner, next_step, next_step_owner, next_step_date, forecast_date, notes] = texts;
    e.my_owner = my_owner;
    e.partner_owner = partner_owner;
    e.next_step = next_step;
    e.next_step_owner = next_step_owner;
    e.next_step_date = next_step_date;
    e.forecast_date = forecast_date;
    e.notes = notes;
    Ok(e.bounded())
}

fn plan_in(entries: &JsValue, dataset: &Dataset) -> Result<Plan, JsValue> {
    let arr: Array = entries.clone().dyn_into().map_err(|_| error("options", "a plan is an array of entries"))?;
    if arr.length() as usize > plan::LIMIT {
        return Err(error("options", format!("a plan holds at most {} accounts", plan::LIMIT)));
    }
    let mut p = Plan::default();
    for (i, v) in arr.iter().enumerate() {
        let e = entry_in(&v, i)?;
        if e.row as usize >= dataset.inner.row_count() {
            return Err(error("range", format!("plan entry {}: the file has no such row", i + 1)));
        }
        p.entries.push(e);
    }
    Ok(p)
}

fn plan_out(p: &Plan) -> JsValue {
    let o: JsValue = Object::new().into();
    set(&o, "entries", p.entries.iter().map(entry_out).collect::<Array>());
    set(&o, "warnings", texts(&p.warnings()));
    o
}

#[wasm_bindgen]
impl Report {
    /// Every overlapping account ranked by joint potential, best first: `{ row, shape, lead,
    /// score, reasons, confidence, myOwner, partnerOwner }` (empty when the partner shared counts
    /// only). Options: `rules` (rule-table edits), `today`.
    pub fn rank(&self, dataset: &Dataset, options: JsValue) -> Result<Array, JsValue> {
        let ranking = plan::rank(&dataset.inner, &self.inner, &table(&options)?, today(&options)?);
        Ok(ranking.iter().map(ranked).collect())
    }

    /// The suggested plan: the `size` (default 12) best co-selling deals matched with high
    /// confidence (`likely: true` adds name + city matches), each with its shape's default
    /// duties: `{ entries, warnings }`.
    #[wasm_bindgen(js_name = suggestPlan)]
    pub fn suggest_plan(&self, dataset: &Dataset, options: JsValue) -> Result<JsValue, JsValue> {
        let ranking = plan::rank(&dataset.inner, &self.inner, &table(&options)?, today(&options)?);
        let size = get_count(&options, "size")?.map_or(plan::SUGGESTED, |n| n as usize);
        let likely = get(&options, "likely").and_then(|v| v.as_bool()).unwrap_or(false);
        Ok(plan_out(&Plan::suggest(&ranking, size, likely)))
    }

    /// A plan (array of entries) as CSV bytes for `flavour` (`excel` or `crm`), with each
    /// account's score and reasons; its warnings come with `planWarnings`.
    #[wasm_bindgen(js_name = planCsv)]
    pub fn plan_csv(&self, dataset: &Dataset, entries: JsValue, options: JsValue) -> Result<Vec<u8>, JsValue> {
        let p = plan_in(&entries, dataset)?;
        let ranking = plan::rank(&dataset.inner, &self.inner, &table(&options)?, today(&options)?);
        let flavour = crate::interop::csv_flavour(get_string(&options, "flavour")?)?;
        Ok(p.to_csv(&dataset.inner, &ranking, flavour))
    }
}

/// What to say about a plan of `n` accounts (8 to 15 is a plan; more is a list).
#[wasm_bindgen(js_name = planWarnings)]
pub fn plan_warnings(n: usize) -> Array {
    let p = Plan { entries: vec![Entry::default(); n.min(plan::LIMIT + 1)] };
    texts(&p.warnings())
}

/// The rule table after `rules` edits: `[{ mine, theirs, shape, lead }]`, 16 cells, row by row.
#[wasm_bindgen(js_name = shapeRules)]
pub fn shape_rules(rules: JsValue) -> Result<Array, JsValue> {
    let o: JsValue = Object::new().into();
    set(&o, "rules", rules);
    Ok(table(&o)?
        .cells()
        .map(|(m, t, r)| {
            let c: JsValue = Object::new().into();
            set(&c, "mine", m.as_str());
            set(&c, "theirs", t.as_str());
            set(&c, "shape", r.shape.as_str());
            set(&c, "lead", r.lead.as_str());
            c
        })
        .collect())
}

#[wasm_bindgen]
impl Party {
    /// The plan as a message for the partner (a finished session where both sides shared at least
    /// overlaps). `status`: `proposal`, `accepted` or `changes`.
    #[wasm_bindgen(js_name = planMessage)]
    pub fn plan_message(&self, dataset: &Dataset, entries: JsValue, status: &str, revision: u32) -> Result<Vec<u8>, JsValue> {
        let p = plan_in(&entries, dataset)?;
        let status: PlanStatus = status.parse().map_err(|e| error("options", e))?;
        self.inner.plan_message(&dataset.inner, &p, status, revision).map_err(protocol_error)
    }

    /// The partner's plan on my rows: `{ status, revision, entries, rows }` (`rows[i]`: every
    /// row of mine for entry `i`).
    #[wasm_bindgen(js_name = readPlan)]
    pub fn read_plan(&self, dataset: &Dataset, message: &[u8]) -> Result<JsValue, JsValue> {
        let got = self.inner.read_plan(&dataset.inner, message).map_err(protocol_error)?;
        let o = plan_out(&got.plan);
        set(&o, "status", got.status.as_str());
        set(&o, "revision", got.revision);
        set(
            &o,
            "rows",
            got.rows.iter().map(|r| JsValue::from(r.iter().map(|&x| JsValue::from(x)).collect::<Array>())).collect::<Array>(),
        );
        Ok(o)
    }
}
