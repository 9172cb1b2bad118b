//! The note form: a dated entry on a case's timeline, restricted when it must be. The fields
//! it opens with, and the command it makes. Pure.

use super::fields::{field, lines};
use super::{FieldId, Form, FormKind, Input, Reading};
use crate::domain::vocab::NoteKind;
use crate::domain::{CaseNumber, Command};
use crate::i18n::Lang;

/// A note form.
pub fn note(number: CaseNumber, lang: Lang) -> Form {
    Form::new(
        FormKind::Note(number),
        String::new(),
        vec![
            field(
                FieldId::Text,
                true,
                lines(lang.pick("내용 (⟦newline⟧: 줄바꿈)", "text (⟦newline⟧: new line)")),
            ),
            field(FieldId::Restricted, false, Input::Toggle(false)),
        ],
    )
}

/// The command a note form makes.
pub(super) fn note_command(r: &Reading, number: CaseNumber) -> Command {
    Command::AddNote {
        case: number,
        kind: NoteKind::Note,
        text: r.text(FieldId::Text),
        restricted: r.toggle(FieldId::Restricted),
    }
}
