//! The merge form: which case of the same student to merge into the case shown — the likely
//! duplicates offered first as a choice, any other by its number — and the command it asks for
//! (asked about before it is sent). Pure.

use super::fields::{Input, choice, eg, field, text};
use super::{FieldId, Form, FormKind, Reading};
use crate::app::message::FormError;
use crate::domain::masking::mask_name;
use crate::domain::{Case, CaseNumber, Command, DomainError, State};
use crate::i18n::Lang;

/// The code of the choice "another case, by its number".
const ANOTHER: &str = "";

/// A case as the merge form offers it: `2026-0002 서*지 · 한빛초등학교 3-2 · 접수`.
fn case_label(case: &Case, lang: Lang) -> String {
    format!(
        "{} {} · {} {} · {}",
        case.number,
        mask_name(&case.student.name),
        case.school,
        case.grade,
        case.stage.label(lang)
    )
}

/// The cases of the same student as `keep` (by name and birth date, or name, school and
/// grade), but for `keep` itself: the likely duplicates, oldest first.
pub fn candidates(state: &State, keep: CaseNumber) -> Vec<CaseNumber> {
    let Some(case) = state.cases.get(&keep) else {
        return Vec::new();
    };
    let mut found = state.same_student(
        &case.student.name,
        case.student.birth_on,
        &case.school,
        case.grade.year,
    );
    found.retain(|n| *n != keep);
    found.sort();
    found
}

/// A form that merges another case into `keep`: the likely duplicates first (when there are
/// any), then a field for any other case's number. `None` when `keep` is not there.
pub fn merge_case(state: &State, keep: CaseNumber, lang: Lang) -> Option<Form> {
    state.cases.get(&keep)?;
    let found = candidates(state, keep);
    let mut fields = Vec::new();
    let subject = if found.is_empty() {
        lang.pick(
            "같은 학생의 다른 사례가 보이지 않습니다",
            "no other case of this student found",
        )
        .to_string()
    } else {
        let mut options: Vec<(String, String)> = found
            .iter()
            .filter_map(|n| state.cases.get(n))
            .map(|c| (c.number.to_string(), case_label(c, lang)))
            .collect();
        let first = options.first().map(|(code, _)| code.clone());
        options.push((
            ANOTHER.to_string(),
            lang.pick("다른 사례 (아래에 번호)", "another case (its number below)")
                .to_string(),
        ));
        fields.push(field(
            FieldId::MergeCandidate,
            false,
            choice(options, first.as_deref().unwrap_or(ANOTHER)),
        ));
        String::new()
    };
    let hint = if found.is_empty() {
        eg(lang, "2026-0012", "2026-0012")
    } else {
        lang.pick(
            "(다른 사례라면 번호, 예: 2026-0012)",
            "(for another case, its number: 2026-0012)",
        )
        .to_string()
    };
    fields.push(field(FieldId::Case, found.is_empty(), text("", &hint)));
    Some(Form::new(FormKind::MergeCase(keep), subject, fields))
}

/// True when the merge form reads the typed number: no likely duplicate is offered, or
/// "another case" is chosen.
pub(super) fn reads_number(form: &Form) -> bool {
    form.get(FieldId::MergeCandidate)
        .is_none_or(|f| f.code() == Some(ANOTHER))
}

/// A number typed while a duplicate is chosen means another case: the choice follows.
pub(super) fn typed(form: &mut Form) {
    if !matches!(form.kind, FormKind::MergeCase(_)) || form.text_of(FieldId::Case).trim().is_empty()
    {
        return;
    }
    if let Some(Input::Choice(c)) = form
        .fields
        .iter_mut()
        .find(|f| f.id == FieldId::MergeCandidate)
        .map(|f| &mut f.input)
        && let Some(at) = c.options.iter().position(|(code, _)| code == ANOTHER)
    {
        c.selected = at;
        c.typed.clear();
        c.unresolved = false;
    }
}

/// The command a merge form makes, once the case to merge is one that can be.
pub(super) fn merge_command(r: &Reading, keep: CaseNumber) -> Result<Command, FormError> {
    let other = if reads_number(r.form) {
        let typed = r.text(FieldId::Case);
        if typed.trim().is_empty() {
            return Err(FormError::Required(FieldId::Case));
        }
        r.state.find_case(&typed)?.number
    } else {
        let code = r.code(FieldId::MergeCandidate);
        r.state.find_case(&code)?.number
    };
    if other == keep {
        return Err(DomainError::MergeSelf { case: keep }.into());
    }
    if r.state
        .cases
        .get(&other)
        .is_some_and(|c| c.merged_into.is_some())
    {
        return Err(DomainError::MergedCase {
            case: other,
            into: r.state.merge_target(other),
        }
        .into());
    }
    Ok(Command::MergeCases { keep, other })
}
