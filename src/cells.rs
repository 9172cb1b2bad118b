//! Text laid out in terminal cells, where Hangul takes two: display width, padding, truncation
//! and aligned tables. Pure; used by the command line's tables and the screens.

use unicode_truncate::UnicodeTruncateStr;
use unicode_width::UnicodeWidthStr;

/// Cells `s` takes on a terminal.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// `s` cut to at most `max` cells, ending in `…` when something was cut.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    // The ellipsis takes the last cell; a wide character that would straddle it is left out.
    let (kept, _) = s.unicode_truncate(max - 1);
    format!("{kept}…")
}

/// `s` padded with spaces to `cells` cells (cut first if it is wider).
pub fn pad(s: &str, cells: usize) -> String {
    let cut = truncate(s, cells);
    let fill = cells.saturating_sub(width(&cut));
    let mut out = cut;
    out.extend(std::iter::repeat_n(' ', fill));
    out
}

/// `s` broken into lines of at most `cells` cells: at spaces where it can, inside a word that
/// is wider than a line (Hangul and long codes), never losing a character.
pub fn wrap(s: &str, cells: usize) -> Vec<String> {
    let cells = cells.max(2);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in s.split(' ').filter(|w| !w.is_empty()) {
        let gap = usize::from(!line.is_empty());
        if width(&line) + gap + width(word) <= cells {
            if gap == 1 {
                line.push(' ');
            }
            line.push_str(word);
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        for ch in word.chars() {
            let w = unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0);
            if width(&line) + w > cells {
                lines.push(std::mem::take(&mut line));
            }
            line.push(ch);
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Rows laid out as an aligned table under a header, columns two spaces apart, no trailing
/// spaces. Columns wider than `max_cell` cells are cut with `…`.
pub fn table(header: &[&str], rows: &[Vec<String>], max_cell: usize) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(width(cell).min(max_cell));
        }
    }
    let mut out = String::new();
    let mut line = |cells: &mut dyn Iterator<Item = &str>| {
        let mut text = String::new();
        for (i, (cell, w)) in cells.zip(&widths).enumerate() {
            if i > 0 {
                text.push_str("  ");
            }
            text.push_str(&pad(cell, *w));
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(&mut header.iter().copied());
    for row in rows {
        line(&mut row.iter().map(String::as_str));
    }
    out
}

/// Rows as an aligned table that fits `limit` cells when one is given: nothing is cut while it
/// fits; otherwise the widest column of the first tier of `shrinkable` (free text: a school, a
/// title) is shortened with `…`, one cell at a time, down to its header's width (at least 4
/// cells), then the next tier's (words such as a stage). Other columns — identifiers, dates,
/// codes — are never cut. Without a limit (a pipe, `--wide`) every cell is whole.
pub fn fit_table(
    header: &[&str],
    rows: &[Vec<String>],
    shrinkable: &[&[usize]],
    limit: Option<usize>,
) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(width(cell));
        }
    }
    if let Some(limit) = limit {
        let floor = |i: usize| header.get(i).map_or(0, |h| width(h)).max(4);
        let total =
            |widths: &[usize]| widths.iter().sum::<usize>() + 2 * widths.len().saturating_sub(1);
        for tier in shrinkable {
            while total(&widths) > limit {
                let widest = tier
                    .iter()
                    .copied()
                    .filter(|i| widths.get(*i).is_some_and(|w| *w > floor(*i)))
                    .max_by_key(|i| widths.get(*i).copied().unwrap_or(0));
                match widest.and_then(|i| widths.get_mut(i)) {
                    Some(w) => *w -= 1,
                    None => break,
                }
            }
        }
    }
    let mut out = String::new();
    let mut line = |cells: &mut dyn Iterator<Item = &str>| {
        let mut text = String::new();
        for (i, (cell, w)) in cells.zip(&widths).enumerate() {
            if i > 0 {
                text.push_str("  ");
            }
            text.push_str(&pad(cell, *w));
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(&mut header.iter().copied());
    for row in rows {
        line(&mut row.iter().map(String::as_str));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hangul_counts_two_cells() {
        assert_eq!(width("홍길동"), 6);
        assert_eq!(truncate("한빛초등학교", 7), "한빛초…");
        assert_eq!(width(&truncate("한빛초등학교", 7)), 7);
        assert_eq!(pad("김*", 6), "김*   ");
        let t = table(&["번호", "이름"], &[vec!["1".into(), "홍*동".into()]], 40);
        assert_eq!(t, "번호  이름\n1     홍*동\n");
    }

    #[test]
    fn wrapping_breaks_at_spaces_and_inside_wide_words() {
        assert_eq!(
            wrap("보호자 상담을 이번 주에 진행", 12),
            vec!["보호자", "상담을 이번", "주에 진행"]
        );
        assert_eq!(wrap("가나다라마바", 5), vec!["가나", "다라", "마바"]);
        assert_eq!(wrap("", 10), vec![String::new()]);
    }

    proptest::proptest! {
        #[test]
        fn wrapped_lines_fit_and_keep_every_character(
            text in "[가-힣a-z ]{0,80}",
            cells in 2usize..40,
        ) {
            let lines = wrap(&text, cells);
            for line in &lines {
                proptest::prop_assert!(width(line) <= cells, "{line:?} wider than {cells}");
            }
            let kept: String = lines.concat().chars().filter(|c| *c != ' ').collect();
            let given: String = text.chars().filter(|c| *c != ' ').collect();
            proptest::prop_assert_eq!(kept, given);
        }
    }

    #[test]
    fn a_fitted_table_shortens_only_free_text_and_keeps_identifiers_whole() {
        let rows = vec![vec![
            "2026-78429".to_string(),
            "아주 긴 조치 내용이 여기 계속 이어집니다".to_string(),
            "WELF".to_string(),
        ]];
        let t = fit_table(&["번호", "내용", "담당"], &rows, &[&[1]], Some(30));
        for line in t.lines() {
            assert!(width(line) <= 30, "{line}");
        }
        assert!(t.contains("2026-78429"));
        assert!(t.contains('…'));
        let whole = fit_table(&["번호", "내용", "담당"], &rows, &[&[1]], None);
        assert!(whole.contains("이어집니다"));
    }
}
