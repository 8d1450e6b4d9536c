"""house_prices: the accepted variants of the book and the competition keep full marks.

The classic mistakes are declared in exercises/house_prices/unit.py (MISTAKES) and graded
by the generic tests; here, the versions that differ from the reference and are right
must lose nothing.
"""

from __future__ import annotations

from tests import helpers
from tests.helpers import assert_full_marks, failures

MODULE = "house_prices"


def graded(tmp_path, source: str, only: str, lang: str = "en"):
    return helpers.graded(tmp_path, MODULE, source, only, lang=lang)


def test_the_competitions_log_rmse_without_the_factor_two_gets_full_marks(tmp_path):
    # The English edition's form: sqrt(MSE) of the logs, clamped with torch.clamp.
    assert_full_marks(graded(tmp_path, """
    def log_rmse(net, features, labels):
        clipped_preds = torch.clamp(net(features), 1, float('inf'))
        rmse = torch.sqrt(loss(torch.log(clipped_preds), torch.log(labels)))
        return rmse.item()
    """, "log_rmse"))


def test_log_rmse_written_out_gets_full_marks(tmp_path):
    assert_full_marks(graded(tmp_path, """
    def log_rmse(net, features, labels):
        with torch.no_grad():
            preds = net(features).clamp(min=1)
            return float(((preds.log() - labels.log()) ** 2).mean().sqrt())
    """, "log_rmse"))


def test_k_fold_with_index_masks_gets_full_marks(tmp_path):
    assert_full_marks(graded(tmp_path, """
    def get_k_fold_data(k, i, X, y):
        fold_size = X.shape[0] // k
        rows = torch.arange(k * fold_size, device=X.device)
        valid = (rows >= i * fold_size) & (rows < (i + 1) * fold_size)
        return X[rows[~valid]], y[rows[~valid]], X[rows[valid]], y[rows[valid]]
    """, "get_k_fold_data"))


def test_a_diagnosis_in_chinese(tmp_path):
    report = graded(tmp_path, """
    def log_rmse(net, features, labels):
        with torch.no_grad():
            rmse = torch.sqrt(2 * loss(net(features).log(), labels.log()).mean())
        return rmse.item()
    """, "log_rmse", lang="zh")
    assert "请先把它们设为 1" in failures(report)["test_log_rmse_clamps"]


def _split(report):
    (panel,) = report.pictures.sections["house_prices"]
    return panel


def test_the_feedback_page_draws_the_students_split_beside_the_books(tmp_path):
    from autograder.api import grade

    right = grade(helpers.copy_solutions(tmp_path / "right"), only="house_prices",
                  device="cpu", pictures=True)
    panel = _split(right)
    assert panel.problem is None and panel.yours["roles"] == panel.book["roles"]
    # Fold i validates rows 4i to 4i + 3; rows 20 to 22 are left out.
    assert panel.book["roles"][1][:9] == [1.0] * 4 + [2.0] * 4 + [1.0]
    assert panel.book["roles"][1][20:] == [0.0] * 3
    wrong = grade(helpers.mistake(tmp_path / "wrong", MODULE, """
    def get_k_fold_data(k, i, X, y):
        fold_size = X.shape[0] // k
        X_train, y_train = None, None
        for j in range(k):
            idx = slice(j * fold_size, (j + 1) * fold_size)
            X_part, y_part = X[idx, :], y[idx]
            if j == i:
                X_valid, y_valid = X_part, y_part
            if X_train is None:
                X_train, y_train = X_part, y_part
            else:
                X_train = torch.cat((X_train, X_part), dim=0)
                y_train = torch.cat((y_train, y_part), dim=0)
        return X_train, y_train, X_valid, y_valid
    """), only="house_prices", device="cpu", pictures=True)
    roles = _split(wrong).yours["roles"]
    assert roles[2][8:12] == [3.0] * 4, "the validation fold trains too: drawn red"
