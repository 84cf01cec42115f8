//! The cloud API's JSON shape, so scripts written for it work with our CLI unchanged:
//! `{"request_id","status":"OK","results":[{"card_side","card_info":{...}}]}` on success,
//! `{"request_id","status":"<REASON>","reason":"<message>"}` on failure. Our extra facts
//! (confidences, the national ID check) stand beside `card_info` and rename nothing.

use serde_json::{json, Map, Value};

use crate::pb;

/// A successful answer.
pub fn success(response: &pb::RecognizeIdCardResponse) -> Value {
    json!({
        "request_id": response.request_id,
        "status": "OK",
        "results": response.results.iter().map(card).collect::<Vec<_>>(),
    })
}

/// A failed call.
pub fn failure(request_id: &str, reason: &str, message: &str) -> Value {
    json!({ "request_id": request_id, "status": reason, "reason": message })
}

fn card(result: &pb::CardResult) -> Value {
    let (side, info) = match &result.card_info {
        Some(pb::card_result::CardInfo::Front(f)) => (
            "front",
            json!({
                "id_number": f.id_number, "certificate_number": f.certificate_number,
                "first_name": f.first_name, "last_name": f.last_name,
                "birthday": f.birthday, "birthday_arabic": f.birthday_arabic,
                "address": f.address, "region": f.region,
            }),
        ),
        Some(pb::card_result::CardInfo::Back(b)) => (
            "back",
            json!({
                "id_number": b.id_number, "issue_date": b.issue_date,
                "issue_date_arabic": b.issue_date_arabic, "expiry_date": b.expiry_date,
                "expiry_date_arabic": b.expiry_date_arabic, "gender": b.gender,
                "gender_en": b.gender_en, "degree": b.degree, "religion": b.religion,
                "religion_en": b.religion_en, "husband_name": b.husband_name, "jobs": b.jobs,
                "marriage": b.marriage, "marriage_en": b.marriage_en,
            }),
        ),
        None => ("unknown", json!({})),
    };
    let confidences: Map<String, Value> = {
        let mut pairs: Vec<_> = result.field_confidences.iter().collect();
        pairs.sort_by(|a, b| a.0.cmp(b.0));
        pairs
            .into_iter()
            .map(|(k, v)| (k.clone(), json!(round3(*v))))
            .collect()
    };
    let mut value = json!({
        "card_side": side,
        "card_info": info,
        "confidence": round3(result.confidence),
        "field_confidences": confidences,
    });
    if let Some(check) = &result.national_id {
        value["national_id"] = json!({
            "checksum_valid": check.checksum_valid,
            "birth_date": check.birth_date,
            "governorate_code": check.governorate_code,
            "governorate": check.governorate,
            "governorate_arabic": check.governorate_arabic,
            "gender_en": check.gender_en,
        });
    }
    value
}

fn round3(value: f32) -> f64 {
    (f64::from(value) * 1000.0).round() / 1000.0
}
