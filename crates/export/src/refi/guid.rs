//! GUIDs: name-based (UUID version 5) from voces ids, so that the same
//! project exports the same GUIDs every time, and checks of GUIDs read.

use uuid::Uuid;

/// The namespace of every GUID voces makes (a random UUID chosen once for
/// voces; never change it, or exported GUIDs change).
pub const NAMESPACE: Uuid = Uuid::from_u128(0xf0f6_fc89_e947_4d4c_b53b_b97a_356a_7c07);

/// The GUID of a voces object: UUID v5 of `KIND:KEY` in [`NAMESPACE`],
/// lower case with hyphens. Kinds: `source` (interview id), `code` (code
/// id), `user` (coder), `case` (`TABLE/ROW`), `variable` (attribute name),
/// `selection` and `coding` (from the GUIDs they join).
pub fn of(kind: &str, key: &str) -> String {
    Uuid::new_v5(&NAMESPACE, format!("{kind}:{key}").as_bytes()).to_string()
}

/// True for a GUID as the standard writes it: 8-4-4-4-12 hex digits,
/// optionally in braces.
pub fn is_valid(s: &str) -> bool {
    let inner = s
        .strip_prefix('{')
        .and_then(|r| r.strip_suffix('}'))
        .unwrap_or(s);
    let groups: Vec<&str> = inner.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// A GUID as compared: braces dropped, lower case.
pub fn normalize(s: &str) -> String {
    s.trim()
        .trim_start_matches('{')
        .trim_end_matches('}')
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_and_valid() {
        let a = of("code", "smuggling");
        assert_eq!(a, of("code", "smuggling"));
        assert_ne!(a, of("code", "smuggling.payment"));
        assert_ne!(a, of("user", "smuggling"));
        assert!(is_valid(&a));
        assert_eq!(Uuid::parse_str(&a).unwrap().get_version_num(), 5);
    }

    #[test]
    fn validity() {
        assert!(is_valid("088B08AC-D5CD-4ADB-8B71-B4F3459C177F"));
        assert!(is_valid("{088b08ac-d5cd-4adb-8b71-b4f3459c177f}"));
        assert!(!is_valid("088B08AC-D5CD-4ADB-8B71"));
        assert!(!is_valid("088B08AC-D5CD-4ADB-8B71-B4F3459C177G"));
        assert_eq!(
            normalize("{088B08AC-D5CD-4ADB-8B71-B4F3459C177F}"),
            "088b08ac-d5cd-4adb-8b71-b4f3459c177f"
        );
    }
}
