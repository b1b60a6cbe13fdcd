//! Which column holds what: header names and sampled values → a [`Mapping`] with confidences.
//!
//! Every (column, field) pair gets a score from two witnesses:
//!
//! - **the header**: 1.0 when, lower-cased with punctuation removed, it is a known header of that
//!   field in Salesforce, HubSpot, Dynamics, Pipedrive, Zoho or Close exports (their API names
//!   too); 0.85 when it holds the field's word (`Company Website`, `Billing Country`); otherwise
//!   its closest known header by edit similarity (`strsim`'s optimal string alignment distance,
//!   which counts a swap of two letters as one edit) when at least 0.85 (`Webiste`).
//!   Words that name a person or a record (`owner`, `contact`, `parent`, `id`) veto the name field.
//! - **the values**: the share of the first non-empty cells of the column that look like the field
//!   (URLs and host names, email addresses, 9-digit DUNS, LinkedIn company pages, countries, a few
//!   repeated type/stage words). A column full of URLs is a website column whatever its header.
//!
//! The best pairs are taken greedily: one field per column; website, domain and email may take
//! several columns, the others one. A pair needs a confidence of at least 0.5. A column whose
//! cells mostly share one domain (the account owner's own email, a CRM record link) is not used
//! as a key column: every row would get the same key. Overrides always win.

use super::headers::find_column;
use crate::normalize::unicode::lowercase_str;
use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use strsim::osa_distance;

use super::populations;
use super::IngestError;
use crate::normalize;

/// What a column can be used for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// A website URL (a `domain:` key).
    Website,
    /// A bare company domain (a `domain:` key).
    Domain,
    /// A contact email address (a `domain:` key unless free-mail). Several columns may be.
    Email,
    /// The company name (a `name:` key, with the country).
    Name,
    /// The company's country (part of the `name:` key).
    Country,
    /// A Dun & Bradstreet number (a `duns:` key).
    Duns,
    /// A LinkedIn company page (a `linkedin:` key).
    Linkedin,
    /// The type, stage or status the default populations are taken from.
    Population,
    /// The account's city (qualifies its `name:` key: names match only where cities agree).
    City,
    /// The account's state, province or region (recognised and normalized; not keyed).
    Region,
    /// The account's postal code (recognised and normalized; not keyed).
    Postal,
    /// Who owns the account in my CRM (the co-selling plan's "my owner").
    Owner,
    /// The value of the open deal, or ARR (ranks accounts in the co-selling plan).
    Amount,
    /// The company's annual revenue (ranks accounts when no deal value is there).
    Revenue,
    /// The stage of the open deal (ranks accounts: later stages first).
    DealStage,
    /// The date of the last activity on the account (ranks recent accounts first).
    LastActivity,
}

impl Field {
    /// Every field.
    pub const ALL: [Field; 16] = [
        Field::Website,
        Field::Domain,
        Field::Email,
        Field::Name,
        Field::Country,
        Field::Duns,
        Field::Linkedin,
        Field::Population,
        Field::City,
        Field::Region,
        Field::Postal,
        Field::Owner,
        Field::Amount,
        Field::Revenue,
        Field::DealStage,
        Field::LastActivity,
    ];

    /// Lower-case name used in options (`--column website=…`) and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Website => "website",
            Field::Domain => "domain",
            Field::Email => "email",
            Field::Name => "name",
            Field::Country => "country",
            Field::Duns => "duns",
            Field::Linkedin => "linkedin",
            Field::Population => "population",
            Field::City => "city",
            Field::Region => "region",
            Field::Postal => "postal",
            Field::Owner => "owner",
            Field::Amount => "amount",
            Field::Revenue => "revenue",
            Field::DealStage => "deal-stage",
            Field::LastActivity => "last-activity",
        }
    }

    /// Whether the field gives keys (website, domain, email, DUNS, LinkedIn, name); the others
    /// qualify keys (country, city), sort rows (population) or describe the account.
    pub fn keyed(self) -> bool {
        matches!(self, Field::Website | Field::Domain | Field::Email | Field::Name | Field::Duns | Field::Linkedin)
    }

    /// Whether several columns may hold this field.
    pub fn multiple(self) -> bool {
        matches!(self, Field::Website | Field::Domain | Field::Email)
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The name is not a field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownField;

impl fmt::Display for UnknownField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "unknown field: expected website, domain, email, name, country, duns, linkedin, population, city, region or postal",
        )
    }
}

impl std::error::Error for UnknownField {}

impl FromStr for Field {
    type Err = UnknownField;
    /// A field's [`Field::as_str`] name; `type`, `stage` and `status` also mean `population`,
    /// `company` and `account` mean `name`, `url` means `website`.
    fn from_str(s: &str) -> Result<Field, UnknownField> {
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "website" | "url" | "web" => Field::Website,
            "domain" => Field::Domain,
            "email" | "emails" => Field::Email,
            "name" | "company" | "account" => Field::Name,
            "country" => Field::Country,
            "duns" => Field::Duns,
            "linkedin" => Field::Linkedin,
            "population" | "type" | "stage" | "status" => Field::Population,
            "city" | "town" => Field::City,
            "region" | "state" | "province" => Field::Region,
            "postal" | "zip" | "postcode" | "postal code" => Field::Postal,
            "owner" => Field::Owner,
            "amount" | "deal-value" | "arr" => Field::Amount,
            "revenue" | "annual-revenue" => Field::Revenue,
            "deal-stage" | "opportunity-stage" => Field::DealStage,
            "last-activity" => Field::LastActivity,
            _ => return Err(UnknownField),
        })
    }
}

/// Reads a column override as the CLI and the page write it: `field=Header` (e.g.
/// `website=Website URL`, `email=#7`, or `name=` to turn the name off).
///
/// # Errors
/// [`UnknownField`] when the text before `=` is not a field (or there is no `=`).
///
/// ```
/// use overlap::ingest::{columns::parse_override, Field};
/// assert_eq!(parse_override("website=Website URL"), Ok((Field::Website, "Website URL".to_string())));
/// assert!(parse_override("colour=Red").is_err());
/// ```
pub fn parse_override(spec: &str) -> Result<(Field, String), UnknownField> {
    let (field, header) = spec.split_once('=').ok_or(UnknownField)?;
    let header = header.trim();
    let header = header.strip_prefix('"').and_then(|h| h.strip_suffix('"')).unwrap_or(header);
    Ok((field.parse()?, header.to_string()))
}

/// What a column choice rests on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Basis {
    /// The user named the column.
    Override,
    /// The header, the values having nothing to say (empty in the sample).
    Header,
    /// The values alone (the header is unknown).
    Values,
    /// Both the header and the values.
    HeaderAndValues,
}

impl Basis {
    /// Lower-case name for reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Override => "override",
            Basis::Header => "header",
            Basis::Values => "values",
            Basis::HeaderAndValues => "header and values",
        }
    }
}

/// One column used for one field.
#[derive(Clone, Debug, PartialEq)]
pub struct ColumnChoice {
    /// The field.
    pub field: Field,
    /// 0-based column index.
    pub column: usize,
    /// The column's header as in the file.
    pub header: String,
    /// 0 to 1: how sure the choice is (1 for overrides).
    pub confidence: f32,
    /// What the choice rests on.
    pub basis: Basis,
}

/// The columns chosen for each field.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Mapping {
    /// The choices, in field order then column order.
    pub choices: Vec<ColumnChoice>,
    /// Columns deliberately not used, and why (header names only, never a cell value).
    pub notes: Vec<String>,
}

impl Mapping {
    /// The columns chosen for `field`, in file order.
    pub fn columns(&self, field: Field) -> Vec<usize> {
        self.choices.iter().filter(|c| c.field == field).map(|c| c.column).collect()
    }

    /// The first choice for `field`, if any.
    pub fn get(&self, field: Field) -> Option<&ColumnChoice> {
        self.choices.iter().find(|c| c.field == field)
    }

    /// Whether some column gives keys (website, domain, email, DUNS, LinkedIn or name).
    pub fn has_key_column(&self) -> bool {
        self.choices.iter().any(|c| c.field.keyed())
    }
}

/// Known headers per field, compacted (lower case, letters and digits only).
fn aliases(field: Field) -> &'static [&'static str] {
    match field {
        Field::Website => &[
            "website",
            "websiteurl",
            "web",
            "url",
            "homepage",
            "companywebsite",
            "webaddress",
            "websiteaddress",
            "companyurl",
            "accountwebsite",
            "webpage",
            "homepageurl",
            "websites",
            "weburl",
            "webseite",
            "siteweb",
            "sitioweb",
        ],
        Field::Domain => &[
            "domain",
            "companydomainname",
            "companydomain",
            "domainname",
            "emaildomain",
            "primarydomain",
            "websitedomain",
            "accountdomain",
            "domains",
        ],
        Field::Email => &[
            "email",
            "emailaddress",
            "primarycontactemail",
            "contactemail",
            "workemail",
            "businessemail",
            "emailaddress1",
            "emailaddress2",
            "emailaddress3",
            "email1",
            "email2",
            "email3",
            "primaryemail",
            "secondaryemail",
            "billingemail",
            "mainemail",
            "companyemail",
            "generalemail",
            "emails",
            "mail",
            "primarycontactemailaddress",
            "contactemailaddress",
            "contactsemail",
            "emailadresse",
            "courriel",
        ],
        Field::Name => &[
            "accountname",
            "companyname",
            "company",
            "organization",
            "organizationname",
            "organisation",
            "organisationname",
            "name",
            "account",
            "businessname",
            "legalname",
            "customername",
            "displayname",
            "firmenname",
            "firma",
            "raisonsociale",
            "empresa",
            "nombredelaempresa",
            "entreprise",
            "nomdelentreprise",
            "registeredname",
            "tradingname",
            "clientname",
            "partnername",
        ],
        Field::Country => &[
            "country",
            "billingcountry",
            "countryregion",
            "address1countryregion",
            "shippingcountry",
            "hqcountry",
            "countrycode",
            "billingcountrycode",
            "mailingcountry",
            "companycountry",
            "accountcountry",
            "countryname",
            "land",
            "pays",
            "pais",
            "headquarterscountry",
            "billingaddresscountry",
        ],
        Field::Duns => &["duns", "dunsnumber", "dnbdunsnumber", "dunsno", "dunsid", "dandbduns", "dnbduns"],
        Field::Linkedin => &[
            "linkedin",
            "linkedinurl",
            "linkedincompanypage",
            "linkedinprofile",
            "linkedinpage",
            "companylinkedinurl",
            "linkedinhandle",
            "linkedincompanyurl",
            "linkedinlink",
            "companylinkedin",
            "linkedincompanyprofile",
        ],
        Field::Population => &[
            "lifecyclestage",
            "type",
            "accounttype",
            "relationshiptype",
            "customertype",
            "companytype",
            "stage",
            "status",
            "accountstatus",
            "customerstatus",
            "leadstatus",
            "label",
            "statuslabel",
            "relationship",
            "lifecycle",
            "accountstage",
            "customerstage",
        ],
        Field::City => &[
            "city",
            "billingcity",
            "shippingcity",
            "mailingcity",
            "address1city",
            "town",
            "citytown",
            "hqcity",
            "headquarterscity",
            "companycity",
            "accountcity",
            "cityname",
            "physicalcity",
            "stadt",
            "ort",
            "ville",
            "ciudad",
            "citta",
            "addresscitytownvillagelocality",
        ],
        Field::Region => &[
            "state",
            "stateregion",
            "stateprovince",
            "billingstateprovince",
            "billingstate",
            "shippingstateprovince",
            "shippingstate",
            "mailingstateprovince",
            "mailingstate",
            "address1stateprovince",
            "stateorprovince",
            "province",
            "region",
            "county",
            "bundesland",
            "addressstatecounty",
        ],
        Field::Postal => &[
            "postalcode",
            "zip",
            "zipcode",
            "postcode",
            "zippostalcode",
            "billingzippostalcode",
            "billingpostalcode",
            "billingzip",
            "shippingzippostalcode",
            "shippingpostalcode",
            "mailingzippostalcode",
            "mailingpostalcode",
            "address1zippostalcode",
            "plz",
            "postleitzahl",
            "codepostal",
            "addresszippostalcode",
            "billingcode",
            "shippingcode",
        ],
        Field::Owner => &[
            "accountowner",
            "companyowner",
            "owner",
            "ownername",
            "accountmanager",
            "organizationowner",
            "recordowner",
            "salesowner",
            "accountexecutive",
            "dealowner",
        ],
        Field::Amount => &[
            "openopportunityamount",
            "opportunityamount",
            "totalopendealvalue",
            "opendealvalue",
            "dealvalue",
            "dealamount",
            "amount",
            "pipelinevalue",
            "arr",
            "annualrecurringrevenue",
            "contractvalue",
            "opendealsvalue",
            "expectedrevenue",
        ],
        Field::Revenue => &["annualrevenue", "revenue", "companyrevenue", "yearlyrevenue", "turnover", "annualsales"],
        Field::DealStage => &[
            "openopportunitystage",
            "opportunitystage",
            "opendealstage",
            "dealstage",
            "pipelinestage",
            "salesstage",
            "opportunitystatus",
        ],
        Field::LastActivity => &[
            "lastactivity",
            "lastactivitydate",
            "lastcontacted",
            "lastengagementdate",
            "lastactivitytime",
            "lastcontactdate",
            "lastinteraction",
            "lastmeetingdate",
        ],
    }
}

/// How specific a population header is: lifecycle stage beats a generic status.
fn population_weight(compact: &str) -> f32 {
    match compact {
        "lifecyclestage" | "accounttype" | "relationshiptype" | "customertype" | "type" | "companytype" => 1.0,
        "stage" | "accountstage" | "customerstage" | "lifecycle" | "relationship" => 0.9,
        "status" | "accountstatus" | "customerstatus" | "statuslabel" => 0.8,
        _ => 0.7,
    }
}

/// Words that say a column is about a person, a record or a system, not the account.
const NOT_ACCOUNT: &[&str] = &[
    "owner",
    "contact",
    "parent",
    "user",
    "person",
    "first",
    "last",
    "full",
    "id",
    "number",
    "phone",
    "manager",
    "rep",
    "created",
    "modified",
    "by",
    "ultimate",
    "assigned",
    "sales",
    "salesperson",
    "lead",
    "agent",
];

/// Header words → lower-case tokens, with Pipedrive's `Organization - ` prefix removed; none for
/// Dynamics' `(Do Not Modify)` bookkeeping columns.
fn tokens(header: &str) -> Vec<String> {
    let lower = lowercase_str(header.trim().trim_start_matches('\u{feff}'));
    if lower.starts_with("(do not modify)") {
        // Dynamics' own bookkeeping columns (record GUID, checksum, modified on).
        return Vec::new();
    }
    let mut t: Vec<String> = lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_string).collect();
    if t.len() > 1 && matches!(t[0].as_str(), "organization" | "organisation" | "org") && header.contains(" - ") {
        t.remove(0);
    }
    t
}

/// The header's score for `field`, 0 to 1.
pub(crate) fn header_score(header: &str, field: Field) -> f32 {
    let t = tokens(header);
    if t.is_empty() {
        return 0.0;
    }
    let compact: String = t.concat();
    let has = |w: &str| t.iter().any(|x| x == w);
    let vetoed = match field {
        Field::Name => {
            NOT_ACCOUNT.iter().any(|w| has(w))
                || [
                    "domain", "email", "mail", "url", "website", "site", "web", "address", "street", "city", "state", "zip",
                    "postal",
                ]
                .iter()
                .any(|w| has(w))
        }
        Field::Email | Field::Website | Field::Domain => [
            "owner",
            "user",
            "created",
            "modified",
            "by",
            "assigned",
            "rep",
            "salesperson",
            "agent",
            "manager",
            "html",
            "photo",
            "image",
            "logo",
            "avatar",
            "record",
            "crm",
        ]
        .iter()
        .any(|w| has(w)),
        Field::Population => has("owner") || has("id") || has("date") || has("deal") || has("opportunity") || has("pipeline"),
        Field::Owner => has("id") || has("email") || has("phone"),
        Field::Amount | Field::Revenue => has("id") || has("date") || has("owner") || has("stage"),
        Field::DealStage => has("owner") || has("id") || has("date") || has("lifecycle"),
        Field::LastActivity => has("owner") || has("id"),
        Field::City | Field::Region | Field::Postal => {
            has("owner") || has("id") || has("phone") || has("email") || has("country") || has("street")
        }
        _ => false,
    };
    if vetoed {
        return 0.0;
    }
    let weight = if field == Field::Population { population_weight(&compact) } else { 1.0 };
    if aliases(field).contains(&compact.as_str()) {
        return weight;
    }
    let word = match field {
        Field::Website => has("website") || has("homepage") || has("url") || has("web"),
        Field::Domain => has("domain"),
        Field::Email => has("email") || has("e") && has("mail") || has("emails"),
        Field::Name => {
            has("name")
                && ["account", "company", "organization", "organisation", "business", "customer", "firm"].iter().any(|w| has(w))
        }
        Field::Country => has("country") || has("countries"),
        Field::Duns => has("duns") || compact.contains("duns"),
        Field::Linkedin => compact.contains("linkedin"),
        Field::Population => has("lifecycle") || has("stage") || has("type") || has("status"),
        Field::City => has("city") || has("town"),
        Field::Region => has("state") || has("province") || has("region"),
        Field::Postal => has("zip") || has("postal") || has("postcode") || compact.contains("zipcode"),
        Field::Owner => has("owner"),
        Field::Amount => (has("amount") || has("value") || has("arr")) && !has("revenue"),
        Field::Revenue => has("revenue") && !has("recurring"),
        Field::DealStage => (has("deal") || has("opportunity") || has("pipeline")) && has("stage"),
        Field::LastActivity => has("last") && (has("activity") || has("contacted") || has("engagement")),
    };
    if word {
        return if field == Field::Population { 0.6 } else { 0.85 };
    }
    if compact.len() > 40 {
        // No export has such headers; and the edit distance costs the product of the lengths.
        return 0.0;
    }
    let best = aliases(field)
        .iter()
        // Lengths differing by more than 15% cannot reach the threshold: skip the distance.
        .filter(|a| a.len() >= 5 && a.len().abs_diff(compact.len()) * 100 <= 15 * a.len().max(compact.len()))
        .map(|a| similarity(&compact, a))
        .fold(0.0f64, f64::max);
    if best >= 0.85 {
        (0.9 * best) as f32 * weight
    } else {
        0.0
    }
}

/// 1 − (optimal string alignment distance: edits and adjacent transpositions) / longer length.
fn similarity(a: &str, b: &str) -> f64 {
    let n = a.chars().count().max(b.chars().count());
    if n == 0 {
        return 1.0;
    }
    1.0 - osa_distance(a, b) as f64 / n as f64
}

/// What the sampled cells of one column look like.
#[derive(Clone, Debug, Default)]
pub(crate) struct ValueStats {
    pub non_empty: usize,
    pub host: usize,
    pub url: usize,
    pub email: usize,
    pub duns: usize,
    pub linkedin: usize,
    pub country: usize,
    pub name_like: usize,
    pub postal: usize,
    pub number: usize,
    pub date: usize,
    pub vocabulary: usize,
    pub distinct: usize,
    /// Share of the most common domain among the host-like or email cells.
    pub top_domain_share: f32,
}

impl ValueStats {
    fn share(&self, n: usize) -> f32 {
        if self.non_empty == 0 {
            0.0
        } else {
            n as f32 / self.non_empty as f32
        }
    }

    fn score(&self, field: Field) -> f32 {
        match field {
            Field::Website | Field::Domain => self.share(self.host.max(self.url)),
            Field::Email => self.share(self.email),
            Field::Duns => self.share(self.duns),
            Field::Linkedin => self.share(self.linkedin),
            Field::Country => self.share(self.country),
            Field::Name => self.share(self.name_like),
            Field::Population => self.share(self.vocabulary),
            Field::City | Field::Region => self.share(self.name_like),
            Field::Postal => self.share(self.postal),
            Field::Owner => self.share(self.name_like),
            Field::Amount | Field::Revenue => self.share(self.number),
            Field::DealStage => self.share(self.name_like),
            Field::LastActivity => self.share(self.date),
        }
    }
}

pub(crate) fn value_stats(cells: &[&str]) -> ValueStats {
    let mut s = ValueStats::default();
    let mut distinct: HashMap<&str, usize> = HashMap::new();
    let mut domains: HashMap<String, usize> = HashMap::new();
    let mut compact = String::new();
    for raw in cells {
        let v = raw.trim();
        if v.is_empty() {
            continue;
        }
        s.non_empty += 1;
        *distinct.entry(v).or_default() += 1;
        let lower = v.to_ascii_lowercase();
        if lower.contains("linkedin.com/") {
            s.linkedin += 1;
        } else if let Some(h) = email_host(&lower) {
            s.email += 1;
            *domains.entry(h.to_string()).or_default() += 1;
        } else if let Some(h) = host_of(&lower) {
            if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("www.") {
                s.url += 1;
            }
            s.host += 1;
            *domains.entry(h.to_string()).or_default() += 1;
        }
        let digits: String = v.chars().filter(|c| !matches!(c, '-' | ' ')).collect();
        if digits.len() == 9 && digits.bytes().all(|b| b.is_ascii_digit()) {
            s.duns += 1;
        }
        if normalize::country(v).is_ok() {
            s.country += 1;
        }
        let id_like = !v.contains(' ') && v.bytes().filter(u8::is_ascii_digit).count() >= 3;
        if v.chars().any(char::is_alphabetic) && !v.contains('@') && host_of(&lower).is_none() && !id_like {
            s.name_like += 1;
        }
        if crate::model::parse_amount(v).is_some() {
            s.number += 1;
        }
        if crate::model::parse_date(v).is_some() {
            s.date += 1;
        }
        if v.len() <= 10 && v.bytes().any(|b| b.is_ascii_digit()) && normalize::place::postal(v).is_ok() {
            s.postal += 1;
        }
        populations::compact_into(v, &mut compact);
        if populations::default_population(&compact).is_some() {
            s.vocabulary += 1;
        }
    }
    s.distinct = distinct.len();
    let keyed = s.email + s.host;
    if keyed >= 5 {
        let top = domains.values().copied().max().unwrap_or(0);
        let share = top as f32 / keyed as f32;
        // Few cells: only a near-unanimous domain counts.
        s.top_domain_share = if keyed >= 20 || share >= 0.8 { share } else { 0.0 };
    }
    s
}

/// The host of a URL or bare host name, if the value looks like one.
fn host_of(lower: &str) -> Option<&str> {
    let v = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://")).unwrap_or(lower);
    let v = v.strip_prefix("www.").unwrap_or(v);
    let host = v.split(['/', '?', '#', ':']).next().unwrap_or("");
    let (_, tld) = host.rsplit_once('.')?;
    let ok = !host.is_empty()
        && tld.len() >= 2
        && tld.chars().all(char::is_alphabetic)
        && host.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '.')
        && !host.starts_with('.');
    ok.then_some(host)
}

/// The host of an email address (the first of a list), if the value looks like one.
fn email_host(lower: &str) -> Option<&str> {
    let first = lower.split([';', ',', ' ']).find(|p| !p.is_empty())?;
    let (local, host) = first.split_once('@')?;
    if local.is_empty() || host.contains('@') {
        return None;
    }
    host_of(host)
}

/// Chooses the columns. `sample[r][c]` are the first rows' cells.
///
/// # Errors
/// [`IngestError::UnknownColumn`] when an override names a header the file does not have.
/// `min_values`: non-empty cells a column needs before its values alone can choose it (fewer
/// for a file without a header, where the values are all there is).
pub(crate) fn map_columns(
    headers: &[String],
    sample: &[Vec<String>],
    overrides: &[(Field, String)],
    min_values: usize,
) -> Result<Mapping, IngestError> {
    let mut mapping = Mapping::default();
    let mut taken = vec![false; headers.len()];
    let mut fixed: Vec<Field> = Vec::new();
    for (field, header) in overrides {
        if !fixed.contains(field) {
            fixed.push(*field);
        }
        if header.trim().is_empty() {
            // An empty override turns the field off.
            continue;
        }
        let column =
            find_column(headers, header).ok_or_else(|| IngestError::UnknownColumn { field: *field, header: header.clone() })?;
        if mapping.choices.iter().any(|c| c.field == *field && c.column == column) {
            continue;
        }
        taken[column] = true;
        mapping.choices.push(ColumnChoice {
            field: *field,
            column,
            header: headers[column].clone(),
            confidence: 1.0,
            basis: Basis::Override,
        });
    }

    let mut pairs: Vec<(f32, usize, Field, Basis)> = Vec::new();
    for (c, header) in headers.iter().enumerate() {
        if taken[c] {
            continue;
        }
        let cells: Vec<&str> = sample.iter().map(|r| r.get(c).map_or("", String::as_str)).collect();
        let stats = value_stats(&cells);
        let skipped_for_sameness = stats.top_domain_share >= 0.5;
        let mut noted = false;
        let scores = Field::ALL.map(|f| header_score(header, f));
        let header_negative =
            scores[Field::Name as usize] == 0.0 && tokens(header).iter().any(|t| NOT_ACCOUNT.contains(&t.as_str()));
        for field in Field::ALL {
            if fixed.contains(&field) {
                continue;
            }
            let h = scores[field as usize];
            let v = stats.score(field);
            let (conf, basis) = if h > 0.0 {
                if stats.non_empty == 0 {
                    (0.75 * h, Basis::Header)
                } else {
                    // A known header is trusted even over odd values (a website column full of
                    // "n/a" is still the website column); a guessed one must be borne out.
                    let checkable = field != Field::Name;
                    if checkable && h < 1.0 && v < 0.2 && stats.non_empty >= 10 {
                        (0.3, Basis::HeaderAndValues)
                    } else if field == Field::Population && v == 0.0 && stats.non_empty >= 5 {
                        // A status with none of the usual type/stage words (Active, Inactive).
                        (0.3, Basis::HeaderAndValues)
                    } else {
                        (0.65 * h + 0.35 * v, Basis::HeaderAndValues)
                    }
                }
            } else {
                // DUNS needs its header: revenue and phone columns are 9-digit numbers too.
                let distinctive = matches!(field, Field::Website | Field::Email | Field::Linkedin);
                let population = field == Field::Population
                    && stats.non_empty >= 5
                    && stats.distinct <= 20.max(stats.non_empty / 10)
                    && v >= 0.5;
                if (distinctive && stats.non_empty >= min_values && v >= 0.8 && !header_negative) || population {
                    (0.4 + 0.4 * v, Basis::Values)
                } else {
                    (0.0, Basis::Values)
                }
            };
            let key_domain = matches!(field, Field::Website | Field::Domain | Field::Email);
            if key_domain && skipped_for_sameness && conf >= 0.5 {
                if !noted {
                    mapping.notes.push(format!(
                        "column \"{header}\" not used: most of its cells share one domain (your own staff's addresses or a system link?); name it with an override to use it anyway"
                    ));
                    noted = true;
                }
                continue;
            }
            if conf >= 0.5 {
                pairs.push((conf, c, field, basis));
            }
        }
    }
    // Best first; ties go to the earlier column, then the earlier field.
    // (confidence is in 0..=1: its bits order like the numbers, inverted for "best first")
    crate::sort::by_key(&mut pairs, |p| (u128::from(u32::MAX - p.0.max(0.0).to_bits()), ((p.1 as u128) << 64) | p.2 as u128));
    for (conf, c, field, basis) in pairs {
        if taken[c] {
            continue;
        }
        if !field.multiple() && mapping.choices.iter().any(|x| x.field == field) {
            continue;
        }
        taken[c] = true;
        mapping.choices.push(ColumnChoice {
            field,
            column: c,
            header: headers[c].clone(),
            confidence: (conf * 100.0).round() / 100.0,
            basis,
        });
    }
    crate::sort::by_key(&mut mapping.choices, |c| (c.field as u128, c.column as u128));
    Ok(mapping)
}

/// Whether a header row is really data (a headerless list of domains or emails).
pub(crate) fn header_looks_like_data(headers: &[String]) -> bool {
    let cells: Vec<&String> = headers.iter().filter(|h| !h.trim().is_empty()).collect();
    !cells.is_empty()
        && cells.iter().all(|h| {
            let l = h.trim().to_ascii_lowercase();
            email_host(&l).is_some() || host_of(&l).is_some() || l.contains("linkedin.com/")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn best(header: &str) -> Option<Field> {
        Field::ALL
            .into_iter()
            .map(|f| (header_score(header, f), f))
            .filter(|(s, _)| *s >= 0.5)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, f)| f)
    }

    #[test]
    fn headers_from_real_exports() {
        let cases: &[(&str, Option<Field>)] = &[
            ("Website", Some(Field::Website)),
            ("Website URL", Some(Field::Website)),
            ("Company Domain Name", Some(Field::Domain)),
            ("Organization - Website", Some(Field::Website)),
            ("Primary Contact Email", Some(Field::Email)),
            ("primary_contact_email", Some(Field::Email)),
            ("Account Owner Email", None),
            ("Account Name", Some(Field::Name)),
            ("Company name", Some(Field::Name)),
            ("Organization - Name", Some(Field::Name)),
            ("Account Owner", Some(Field::Owner)),
            ("Company owner", Some(Field::Owner)),
            ("Billing City", Some(Field::City)),
            ("Billing State/Province", Some(Field::Region)),
            ("Billing Zip/Postal Code", Some(Field::Postal)),
            ("Open Opportunity Stage", Some(Field::DealStage)),
            ("Open Deal Stage", Some(Field::DealStage)),
            ("Open Opportunity Amount", Some(Field::Amount)),
            ("Total Open Deal Value", Some(Field::Amount)),
            ("Annual Revenue", Some(Field::Revenue)),
            ("Last Activity", Some(Field::LastActivity)),
            ("Last Activity Date", Some(Field::LastActivity)),
            ("Parent Account", None),
            ("Primary Contact", None),
            ("Billing Country", Some(Field::Country)),
            ("Country/Region", Some(Field::Country)),
            ("Address 1: Country/Region", Some(Field::Country)),
            ("D-U-N-S Number", Some(Field::Duns)),
            ("LinkedIn Company Page", Some(Field::Linkedin)),
            ("Lifecycle Stage", Some(Field::Population)),
            ("Relationship Type", Some(Field::Population)),
            ("Account ID", None),
            ("Record ID", None),
            ("Industry", None),
            ("Webiste", Some(Field::Website)),
        ];
        for (h, want) in cases {
            assert_eq!(best(h), *want, "{h}");
        }
    }

    #[test]
    fn a_column_full_of_urls_is_a_website_column() {
        let headers = vec!["Col A".to_string(), "Col B".to_string()];
        let sample: Vec<Vec<String>> = (0..20).map(|i| vec![format!("Company {i}"), format!("https://www.c{i}.com/")]).collect();
        let m = map_columns(&headers, &sample, &[], 5).unwrap();
        let w = m.get(Field::Website).unwrap();
        assert_eq!((w.column, w.basis), (1, Basis::Values));
    }

    #[test]
    fn own_staff_emails_are_not_keys() {
        let headers = vec!["Website".to_string(), "Contact Email".to_string()];
        let sample: Vec<Vec<String>> = (0..30).map(|i| vec![format!("c{i}.com"), format!("rep{i}@mycorp.com")]).collect();
        let m = map_columns(&headers, &sample, &[], 5).unwrap();
        assert!(m.get(Field::Email).is_none());
        assert_eq!(m.notes.len(), 1);
        assert!(!m.notes[0].contains("mycorp"));
    }

    #[test]
    fn overrides_win_and_unknown_headers_are_named() {
        let headers = vec!["Web".to_string(), "Site".to_string()];
        let m = map_columns(&headers, &[], &[(Field::Website, "site".into())], 5).unwrap();
        assert_eq!(m.columns(Field::Website), vec![1]);
        assert_eq!(m.get(Field::Website).unwrap().basis, Basis::Override);
        let m = map_columns(&headers, &[], &[(Field::Website, "#1".into())], 5).unwrap();
        assert_eq!(m.columns(Field::Website), vec![0]);
        let e = map_columns(&headers, &[], &[(Field::Website, "Nope".into())], 5).unwrap_err();
        assert!(matches!(e, IngestError::UnknownColumn { .. }));
    }
}
