import hashlib
import json

from thidua.contests import hotpath


def test_payload_hash_is_the_canonical_json_of_answers_and_prediction():
    """Rows stored before the hot path built the hash from the answers' JSON must still match a
    retry: the hash is unchanged."""
    answers = {"12": "B", "3": "A", "7": "D"}
    for prediction in (None, 0, 905):
        canonical = json.dumps(
            {"answers": answers, "prediction": prediction}, separators=(",", ":"), sort_keys=True
        )
        assert (
            hotpath.payload_hash(answers, prediction)
            == hashlib.sha256(canonical.encode()).hexdigest()
        )


def test_receipts_are_ten_characters_of_the_unambiguous_alphabet():
    receipts = {hotpath.new_receipt() for _ in range(2000)}
    assert len(receipts) == 2000
    assert all(len(r) == 10 and set(r) <= set(hotpath.RECEIPT_ALPHABET) for r in receipts)
    assert set("".join(receipts)) == set(hotpath.RECEIPT_ALPHABET)  # every character is used
