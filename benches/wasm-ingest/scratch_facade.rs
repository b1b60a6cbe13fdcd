//! Scratch facade for measuring ingestion in wasm before the real facade (src/wasm.rs) exposes
//! `Ingest`: `run.sh` copies it over src/wasm.rs in a throwaway copy of the repository. Raw C-ABI
//! exports, no wasm-bindgen; never part of the product.
#[no_mangle]
pub extern "C" fn alloc(n: usize) -> *mut u8 {
    let mut v = Vec::<u8>::with_capacity(n);
    let p = v.as_mut_ptr();
    std::mem::forget(v);
    p
}
/// Reads the export at ptr..ptr+len in 1 MiB chunks; returns rows + distinct keys / 1e8.
#[no_mangle]
pub extern "C" fn ingest(ptr: *const u8, len: usize, policy: u32) -> f64 {
    let bytes = unsafe { std::slice::from_raw_parts(ptr, len) };
    let mut o = crate::ingest::Options::new();
    o.name_keys([crate::ingest::NamePolicy::Fallback, crate::ingest::NamePolicy::Never, crate::ingest::NamePolicy::Always][policy as usize % 3]);
    o.size_hint(Some(len as u64));
    let mut ing = crate::ingest::Ingest::new(o);
    for c in bytes.chunks(1 << 20) {
        if ing.feed(c).is_err() { return -1.0; }
    }
    match ing.finish() { Ok(d) => d.row_count() as f64 + d.keys().len() as f64 / 1e8, Err(_) => -2.0 }
}
#[no_mangle]
pub extern "C" fn parse_only(ptr: *const u8, len: usize) -> f64 {
    let bytes = unsafe { std::slice::from_raw_parts(ptr, len) };
    let text = std::str::from_utf8(bytes).unwrap_or("");
    let mut r = crate::ingest::reader::RecordReader::new(b',', 0, 1);
    let mut n = 0usize;
    while r.next(text, true).is_some() { n += r.field_count(); }
    n as f64
}
/// Streaming: a handle, fed chunk by chunk from JS, as the page will with File.stream().
#[no_mangle]
pub extern "C" fn stream_new(size_hint: f64) -> *mut crate::ingest::Ingest {
    let mut o = crate::ingest::Options::new();
    o.size_hint(Some(size_hint as u64));
    Box::into_raw(Box::new(crate::ingest::Ingest::new(o)))
}
#[no_mangle]
pub extern "C" fn stream_feed(h: *mut crate::ingest::Ingest, ptr: *const u8, len: usize) -> i32 {
    let ing = unsafe { &mut *h };
    let bytes = unsafe { std::slice::from_raw_parts(ptr, len) };
    if ing.feed(bytes).is_ok() { 0 } else { -1 }
}
#[no_mangle]
pub extern "C" fn stream_finish(h: *mut crate::ingest::Ingest) -> f64 {
    let ing = unsafe { Box::from_raw(h) };
    match ing.finish() { Ok(d) => { let r = d.row_count() as f64 + d.keys().len() as f64 / 1e8; std::mem::forget(d); r } Err(_) => -2.0 }
}
