//! Student names masked for lists, projected screens and exports (홍*동), in a name and inside
//! free text; pure.

/// Masks a person's name for lists and projected screens: 홍길동 → 홍*동, 김철 → 김*,
/// 남궁민수 → 남**수; each word of a Latin name the same way (John Smith → J**n S***h).
pub fn mask_name(name: &str) -> String {
    name.split_whitespace()
        .map(|word| {
            let count = word.chars().count();
            match (word.chars().next(), word.chars().last()) {
                (Some(first), _) if count == 2 => format!("{first}*"),
                (Some(first), Some(last)) if count > 2 => {
                    let mut out = String::new();
                    out.push(first);
                    out.extend(std::iter::repeat_n('*', count - 2));
                    out.push(last);
                    out
                }
                (Some(_), _) => "*".to_string(),
                (None, _) => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `text` with a student's name masked wherever it appears in it: the full name, each word of
/// it, and a Korean given name (the name without its one-character surname), so that 민준이가
/// in a decision about 김민준 does not name him on a projected screen or in an export.
pub fn mask_in(text: &str, name: &str) -> String {
    let name = name.trim();
    if name.is_empty() {
        return text.to_string();
    }
    let mut parts: Vec<String> = vec![name.to_string()];
    parts.extend(
        name.split_whitespace()
            .filter(|w| w.chars().count() >= 2)
            .map(str::to_string),
    );
    if !name.contains(char::is_whitespace) && name.chars().count() >= 3 {
        parts.push(name.chars().skip(1).collect());
    }
    // Longest first, so the full name is masked whole before its parts.
    parts.sort_by_key(|p| std::cmp::Reverse(p.chars().count()));
    parts.dedup();
    let mut out = text.to_string();
    for part in parts {
        if out.contains(&part) {
            out = out.replace(&part, &mask_name(&part));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_masked_in_the_middle() {
        assert_eq!(mask_name("홍길동"), "홍*동");
        assert_eq!(mask_name("김철"), "김*");
        assert_eq!(mask_name("남궁민수"), "남**수");
        assert_eq!(mask_name("이"), "*");
        assert_eq!(mask_name("John Smith"), "J**n S***h");
        assert_eq!(mask_name(""), "");
    }

    #[test]
    fn names_in_free_text_are_masked() {
        assert_eq!(
            mask_in("김민준 보호자 상담, 민준이가 원함", "김민준"),
            "김*준 보호자 상담, 민*이가 원함"
        );
        assert_eq!(
            mask_in("John Smith's father", "John Smith"),
            "J**n S***h's father"
        );
        assert_eq!(mask_in("상담 진행", "김민준"), "상담 진행");
        assert_eq!(mask_in("이 학생", "이"), "* 학생");
    }
}
