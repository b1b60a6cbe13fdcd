//! The ingestion reader on arbitrary bytes: it must never panic, and reading the bytes in chunks
//! must give exactly what reading them at once gives.
//!
//! The first byte chooses the chunk size, the options and whether the input is repeated past the
//! 64 KiB analysis window (bits 5 and 6 both set: the streaming path after it is exercised too).
#![no_main]

use libfuzzer_sys::fuzz_target;
use overlap::ingest::{read, sniff, Dataset, Encoding, Field, Ingest, NamePolicy, Options, SNIFF_BYTES};

fn describe(d: &Dataset) -> String {
    let mut s = format!("{:?}\n{:?}\n{:?}\n", d.headers(), d.populations(), d.summary());
    for (k, p) in d.keys().iter().zip(d.key_populations()) {
        s += &format!("{k} {p}\n");
    }
    for r in 0..d.row_count() {
        s += &format!("{} {:?} {}\n", d.row_line(r), d.row_keys(r), d.row_populations(r));
        // Re-parsing every row of a big input would make runs slow; the first rows suffice.
        if r < 64 {
            s += &format!("{:?}\n", d.row_fields(r));
        }
    }
    for i in d.issues() {
        s += &format!("{i}\n");
    }
    s
}

fuzz_target!(|data: &[u8]| {
    let Some((&ctl, body)) = data.split_first() else { return };
    let mut opts = Options::new();
    opts.name_keys([NamePolicy::Fallback, NamePolicy::Always, NamePolicy::Never][(ctl & 3) as usize % 3]);
    if ctl & 4 != 0 {
        opts.delimiter(Some([b',', b';', b'\t', b'|'][(ctl >> 6) as usize]));
    }
    if ctl & 8 != 0 {
        opts.encoding(Some([Encoding::Utf8, Encoding::Utf16Le, Encoding::Windows1252, Encoding::Utf16Be][(ctl >> 6) as usize]));
    }
    if ctl & 16 != 0 {
        opts.column(Field::Name, "#1");
    }
    let owned;
    // One input in four is repeated past the analysis window (slower runs, the streaming path).
    let bytes: &[u8] = if ctl & 0x60 == 0x60 && !body.is_empty() {
        owned = body.repeat(SNIFF_BYTES / body.len() + 2);
        &owned
    } else {
        body
    };
    let preview = sniff(bytes, &opts);
    let once = read(bytes, &opts);
    let chunk = 1 + (ctl as usize * 7919) % 4099;
    // Past the window, chunks of a few bytes would only make runs slow.
    let chunk = if bytes.len() > SNIFF_BYTES { chunk.max(997) } else { chunk };
    let mut ingest = Ingest::new(opts.clone());
    let mut fed = Ok(());
    for c in bytes.chunks(chunk) {
        if let Err(e) = ingest.feed(c) {
            fed = Err(e);
            break;
        }
    }
    let chunked = fed.and_then(|()| ingest.finish());
    match (&once, &chunked) {
        (Ok(a), Ok(b)) => {
            assert_eq!(describe(a), describe(b));
            // What the preview shows is what the read did.
            let p = preview.as_ref().expect("the read worked, so the preview must");
            assert_eq!(&p.mapping, a.mapping());
            assert_eq!(p.delimiter, a.summary().delimiter);
            let e = a.summary().encoding;
            // Pure ASCII in the window may still turn out to be Windows-1252 later on.
            assert!(p.encoding == e || (p.encoding == Encoding::Utf8 && e == Encoding::Windows1252));
            let _ = a.issues_csv();
            let _ = a.column_values(0);
            let _ = a.row_fields(a.row_count());
            for i in a.issues() {
                let _ = i.reason();
            }
            let _ = a.summary().to_string();
        }
        (Err(a), Err(b)) => assert_eq!(a, b),
        _ => panic!("one-shot and chunked reads disagree: {:?} / {:?}", once.as_ref().err(), chunked.as_ref().err()),
    }
});
