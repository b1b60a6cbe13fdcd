//! Files that are not CSV, recognised by their first bytes ("magic numbers"), so that the analyst
//! hears what the file is and what to do instead of a garbled preview: spreadsheets (`.xlsx`,
//! `.xls`, `.ods`), other office files, images (PNG, JPEG, GIF, WebP), PDF and archives (ZIP,
//! gzip, 7z, RAR).
//!
//! Only the container's own bytes are looked at (signatures, and for a ZIP the name of its first
//! member, which an Office or OpenDocument file fixes); the description never quotes the file.
//!
//! ```
//! use overlap::ingest::magic::{recognise, Foreign};
//! assert_eq!(recognise(b"%PDF-1.7\n"), Some(Foreign::Pdf));
//! assert_eq!(recognise(b"Name,Website\r\n"), None);
//! ```

/// A kind of file that is not a CSV export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Foreign {
    /// An Excel workbook (`.xlsx`, `.xlsm`): a ZIP whose members are `xl/…`.
    Xlsx,
    /// An old Excel workbook (`.xls`; or another old Office file): an OLE compound file.
    Xls,
    /// An OpenDocument spreadsheet (`.ods`, LibreOffice, Google Sheets' download).
    Ods,
    /// Another Office or OpenDocument file (a Word or PowerPoint document, a text document).
    Document,
    /// A PDF.
    Pdf,
    /// A PNG image.
    Png,
    /// A JPEG image.
    Jpeg,
    /// A GIF image.
    Gif,
    /// A WebP image.
    Webp,
    /// A ZIP archive (not an Office file).
    Zip,
    /// A gzip-compressed file (`.gz`, `.tgz`).
    Gzip,
    /// A 7-Zip archive.
    SevenZip,
    /// A RAR archive.
    Rar,
}

impl Foreign {
    /// What the file is and what to do, in a sentence for the analyst (no content quoted).
    pub fn describe(self) -> &'static str {
        match self {
            Foreign::Xlsx => {
                "this is an Excel workbook (.xlsx), not a CSV file: open it in Excel and save it as CSV (File → Save As → CSV UTF-8), then use that file"
            }
            Foreign::Xls => {
                "this is an old Excel workbook (.xls), not a CSV file: open it in Excel and save it as CSV (File → Save As → CSV UTF-8), then use that file"
            }
            Foreign::Ods => {
                "this is an OpenDocument spreadsheet (.ods), not a CSV file: open it and save it as CSV (LibreOffice: File → Save As → Text CSV; Excel: File → Save As → CSV UTF-8), then use that file"
            }
            Foreign::Document => {
                "this is a Word, PowerPoint or other office document, not a CSV file: export your accounts from the CRM as CSV and use that file"
            }
            Foreign::Pdf => "this is a PDF document, not a CSV file: export your accounts from the CRM as CSV and use that file",
            Foreign::Png | Foreign::Jpeg | Foreign::Gif | Foreign::Webp => self.image(),
            Foreign::Zip => {
                "this is a ZIP archive, not a CSV file: extract the CSV export from it (right-click → Extract All) and use that file"
            }
            Foreign::Gzip => "this is a gzip-compressed file, not a CSV file: decompress it and use the CSV file inside",
            Foreign::SevenZip => "this is a 7-Zip archive, not a CSV file: extract the CSV export from it and use that file",
            Foreign::Rar => "this is a RAR archive, not a CSV file: extract the CSV export from it and use that file",
        }
    }

    fn image(self) -> &'static str {
        match self {
            Foreign::Png => "this is a PNG image, not a CSV file: export your accounts from the CRM as CSV and use that file",
            Foreign::Jpeg => "this is a JPEG image, not a CSV file: export your accounts from the CRM as CSV and use that file",
            Foreign::Gif => "this is a GIF image, not a CSV file: export your accounts from the CRM as CSV and use that file",
            _ => "this is a WebP image, not a CSV file: export your accounts from the CRM as CSV and use that file",
        }
    }

    /// A stable word for the kind (`xlsx`, `png`, `zip`, …).
    pub fn code(self) -> &'static str {
        match self {
            Foreign::Xlsx => "xlsx",
            Foreign::Xls => "xls",
            Foreign::Ods => "ods",
            Foreign::Document => "document",
            Foreign::Pdf => "pdf",
            Foreign::Png => "png",
            Foreign::Jpeg => "jpeg",
            Foreign::Gif => "gif",
            Foreign::Webp => "webp",
            Foreign::Zip => "zip",
            Foreign::Gzip => "gzip",
            Foreign::SevenZip => "7z",
            Foreign::Rar => "rar",
        }
    }
}

/// What the first bytes of a file say it is, when it is a known kind of non-CSV file.
pub fn recognise(prefix: &[u8]) -> Option<Foreign> {
    let starts = |sig: &[u8]| prefix.starts_with(sig);
    if starts(b"PK\x03\x04") {
        return Some(zip_kind(prefix));
    }
    // An empty ZIP, or one split across volumes.
    if starts(b"PK\x05\x06") || starts(b"PK\x07\x08") {
        return Some(Foreign::Zip);
    }
    if starts(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return Some(Foreign::Xls);
    }
    if starts(b"%PDF-") {
        return Some(Foreign::Pdf);
    }
    if starts(b"\x89PNG\r\n\x1A\n") {
        return Some(Foreign::Png);
    }
    if starts(b"\xFF\xD8\xFF") {
        return Some(Foreign::Jpeg);
    }
    if starts(b"GIF87a") || starts(b"GIF89a") {
        return Some(Foreign::Gif);
    }
    if starts(b"RIFF") && prefix.get(8..12) == Some(b"WEBP") {
        return Some(Foreign::Webp);
    }
    if starts(b"\x1F\x8B") {
        return Some(Foreign::Gzip);
    }
    if starts(b"7z\xBC\xAF\x27\x1C") {
        return Some(Foreign::SevenZip);
    }
    if starts(b"Rar!\x1A\x07") {
        return Some(Foreign::Rar);
    }
    None
}

/// A ZIP's kind from its first member (local file header: name length at 26, name at 30). Office
/// files begin with `[Content_Types].xml`, `_rels/` or their main folder; OpenDocument files with
/// a stored `mimetype` member holding the document type.
fn zip_kind(prefix: &[u8]) -> Foreign {
    let Some(len) = prefix.get(26..28).map(|b| u16::from_le_bytes([b[0], b[1]]) as usize) else {
        return Foreign::Zip;
    };
    let Some(name) = prefix.get(30..30 + len) else {
        return Foreign::Zip;
    };
    if name == b"mimetype" {
        let extra = prefix.get(28..30).map_or(0, |b| u16::from_le_bytes([b[0], b[1]]) as usize);
        let body = prefix.get(30 + len + extra..).unwrap_or(&[]);
        return if body.starts_with(b"application/vnd.oasis.opendocument.spreadsheet") {
            Foreign::Ods
        } else if body.starts_with(b"application/vnd.oasis.opendocument") {
            Foreign::Document
        } else {
            Foreign::Zip
        };
    }
    if name.starts_with(b"xl/") {
        return Foreign::Xlsx;
    }
    if name.starts_with(b"word/") || name.starts_with(b"ppt/") {
        return Foreign::Document;
    }
    if name == b"[Content_Types].xml" || name.starts_with(b"_rels/") || name.starts_with(b"docProps/") {
        // The main folder comes later: look for it in the bytes at hand.
        let has = |needle: &[u8]| prefix.windows(needle.len()).any(|w| w == needle);
        if has(b"xl/") {
            return Foreign::Xlsx;
        }
        if has(b"word/") || has(b"ppt/") {
            return Foreign::Document;
        }
        // An Office file whose main part is beyond the prefix: most likely a workbook.
        return Foreign::Xlsx;
    }
    Foreign::Zip
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A ZIP local file header for a first member `name` followed by `body`.
    fn zip(name: &str, body: &[u8]) -> Vec<u8> {
        let mut v = b"PK\x03\x04".to_vec();
        v.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        v.extend_from_slice(&(name.len() as u16).to_le_bytes());
        v.extend_from_slice(&0u16.to_le_bytes());
        v.extend_from_slice(name.as_bytes());
        v.extend_from_slice(body);
        v
    }

    #[test]
    fn recognises_each_kind() {
        let webp = b"RIFF\x24\0\0\0WEBPVP8 ";
        let cases: &[(&[u8], Option<Foreign>)] = &[
            (b"\x89PNG\r\n\x1A\n\0\0\0\rIHDR", Some(Foreign::Png)),
            (b"\xFF\xD8\xFF\xE0\0\x10JFIF", Some(Foreign::Jpeg)),
            (b"GIF89a\x01\0", Some(Foreign::Gif)),
            (b"GIF87a\x01\0", Some(Foreign::Gif)),
            (webp, Some(Foreign::Webp)),
            (b"RIFF\x24\0\0\0WAVEfmt ", None),
            (b"%PDF-1.4\n%", Some(Foreign::Pdf)),
            (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0", Some(Foreign::Xls)),
            (b"\x1F\x8B\x08\0", Some(Foreign::Gzip)),
            (b"7z\xBC\xAF\x27\x1C\0\x04", Some(Foreign::SevenZip)),
            (b"Rar!\x1A\x07\x01\0", Some(Foreign::Rar)),
            (b"PK\x05\x06\0\0", Some(Foreign::Zip)),
            (b"PK\x03\x04", Some(Foreign::Zip)),
            (b"Name,Website\r\nAcme,acme.com\r\n", None),
            (b"\xEF\xBB\xBFName;Website\r\n", None),
            (b"", None),
        ];
        for (bytes, want) in cases {
            assert_eq!(recognise(bytes), *want, "{bytes:?}");
        }
    }

    #[test]
    fn tells_office_files_from_archives() {
        assert_eq!(recognise(&zip("xl/workbook.xml", b"")), Some(Foreign::Xlsx));
        assert_eq!(
            recognise(&zip("[Content_Types].xml", b"<Types><Override PartName=\"/xl/workbook.xml\"")),
            Some(Foreign::Xlsx)
        );
        assert_eq!(
            recognise(&zip("[Content_Types].xml", b"<Types><Override PartName=\"/word/document.xml\"")),
            Some(Foreign::Document)
        );
        assert_eq!(recognise(&zip("word/document.xml", b"")), Some(Foreign::Document));
        assert_eq!(recognise(&zip("mimetype", b"application/vnd.oasis.opendocument.spreadsheet")), Some(Foreign::Ods));
        assert_eq!(recognise(&zip("mimetype", b"application/vnd.oasis.opendocument.text")), Some(Foreign::Document));
        assert_eq!(recognise(&zip("accounts.csv", b"Name,Website\r\n")), Some(Foreign::Zip));
    }

    #[test]
    fn descriptions_say_what_to_do_and_quote_nothing() {
        let all = [
            Foreign::Xlsx,
            Foreign::Xls,
            Foreign::Ods,
            Foreign::Document,
            Foreign::Pdf,
            Foreign::Png,
            Foreign::Jpeg,
            Foreign::Gif,
            Foreign::Webp,
            Foreign::Zip,
            Foreign::Gzip,
            Foreign::SevenZip,
            Foreign::Rar,
        ];
        for f in all {
            let d = f.describe();
            assert!(d.starts_with("this is "), "{d}");
            assert!(d.contains("not a CSV file"), "{d}");
        }
        assert!(Foreign::Xlsx.describe().contains("File → Save As → CSV UTF-8"));
        // A member name is never quoted, even when it is the only thing recognised.
        let z = zip("secret-customers-acme.csv", b"");
        assert!(!Foreign::Zip.describe().contains("acme"));
        assert_eq!(recognise(&z), Some(Foreign::Zip));
    }
}
