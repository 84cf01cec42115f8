//! Domain readings to protobuf messages.

use crate::{
    core::{
        fields::national_id::NationalIdFacts,
        reading::{BackFields, CardFields, CardReading, FrontFields},
    },
    pb,
};

/// One card reading as the contract's `CardResult`.
pub fn card_result(reading: &CardReading) -> pb::CardResult {
    let (side, info) = match &reading.fields {
        CardFields::Front(front) => (
            pb::CardSide::Front,
            pb::card_result::CardInfo::Front(front_info(front)),
        ),
        CardFields::Back(back) => (
            pb::CardSide::Back,
            pb::card_result::CardInfo::Back(back_info(back)),
        ),
    };
    pb::CardResult {
        card_side: side as i32,
        card_info: Some(info),
        confidence: reading.confidence,
        field_confidences: reading
            .fields
            .named()
            .into_iter()
            .map(|(name, field)| (name.to_string(), field.confidence))
            .collect(),
        national_id: reading.national_id.as_ref().map(national_id_check),
        location: Some(pb::CardLocation {
            corners: reading
                .corners
                .iter()
                .map(|p| pb::Point { x: p.x, y: p.y })
                .collect(),
            rotation_degrees: reading.rotation_degrees,
        }),
    }
}

fn front_info(f: &FrontFields) -> pb::FrontCardInfo {
    pb::FrontCardInfo {
        id_number: f.id_number.value.clone(),
        certificate_number: f.certificate_number.value.clone(),
        first_name: f.first_name.value.clone(),
        last_name: f.last_name.value.clone(),
        birthday: f.birthday.value.clone(),
        birthday_arabic: f.birthday_arabic.value.clone(),
        address: f.address.value.clone(),
        region: f.region.value.clone(),
    }
}

fn back_info(b: &BackFields) -> pb::BackCardInfo {
    pb::BackCardInfo {
        id_number: b.id_number.value.clone(),
        issue_date: b.issue_date.value.clone(),
        issue_date_arabic: b.issue_date_arabic.value.clone(),
        expiry_date: b.expiry_date.value.clone(),
        expiry_date_arabic: b.expiry_date_arabic.value.clone(),
        gender: b.gender.value.clone(),
        gender_en: b.gender_en.value.clone(),
        degree: b.degree.value.clone(),
        religion: b.religion.value.clone(),
        religion_en: b.religion_en.value.clone(),
        husband_name: b.husband_name.value.clone(),
        jobs: b.jobs.value.clone(),
        marriage: b.marriage.value.clone(),
        marriage_en: b.marriage_en.value.clone(),
    }
}

fn national_id_check(facts: &NationalIdFacts) -> pb::NationalIdCheck {
    pb::NationalIdCheck {
        checksum_valid: facts.checksum_valid,
        birth_date: facts.birth_date.clone().unwrap_or_default(),
        governorate_code: facts.governorate_code.clone(),
        governorate: facts
            .governorate
            .map(|g| g.english.to_string())
            .unwrap_or_default(),
        governorate_arabic: facts
            .governorate
            .map(|g| g.arabic.to_string())
            .unwrap_or_default(),
        gender_en: facts.gender.code().to_string(),
    }
}
