"""Each classic sampler mistake is diagnosed; the seed's code keeps full marks."""

from __future__ import annotations

import re

import pytest

from autograder.api import cuda_available, grade
from tests import helpers
from tests.helpers import assert_full_marks, failures, messages, mistake, with_function
from tests.test_messages import english_words
from tests.test_public_checks import assert_self_checks_pass

MODULE = "language_model"
# Where device placement is checked: the GPU where there is one, else the simulated one.
PLACEMENT = "cuda" if cuda_available() else "placement"


def graded(tmp_path, source: str, function: str, device: str = "cpu", lang: str = "en"):
    return helpers.graded(tmp_path, MODULE, source, function, device=device, lang=lang)


# The study group's notes (../shared/seed/), verbatim but for the comments.
SEED_RANDOM = """
def data_iter_random(corpus_indices, batch_size, num_steps, device=None):
    num_examples = (len(corpus_indices) - 1) // num_steps
    example_indices = [i * num_steps for i in range(num_examples)]
    random.shuffle(example_indices)

    def _data(i):
        return corpus_indices[i: i + num_steps]
    if device is None:
        device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')

    for i in range(0, num_examples, batch_size):
        batch_indices = example_indices[i: i + batch_size]
        X = [_data(j) for j in batch_indices]
        Y = [_data(j + 1) for j in batch_indices]
        yield torch.tensor(X, device=device), torch.tensor(Y, device=device)
"""

SEED_CONSECUTIVE = """
def data_iter_consecutive(corpus_indices, batch_size, num_steps, device=None):
    if device is None:
        device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')
    corpus_len = len(corpus_indices) // batch_size * batch_size
    corpus_indices = corpus_indices[: corpus_len]
    indices = torch.tensor(corpus_indices, device=device)
    indices = indices.view(batch_size, -1)
    batch_num = (indices.shape[1] - 1) // num_steps
    for i in range(batch_num):
        i = i * num_steps
        X = indices[:, i: i + num_steps]
        Y = indices[:, i + 1: i + num_steps + 1]
        yield X, Y
"""


# The book's PyTorch port (d2lzh_pytorch/utils.py of ShusenTang/Dive-into-DL-PyTorch),
# verbatim: float32 tensors, and the short last minibatch dropped.
BOOK_RANDOM = """
def data_iter_random(corpus_indices, batch_size, num_steps, device=None):
    # 减1是因为输出的索引x是相应输入的索引y加1
    num_examples = (len(corpus_indices) - 1) // num_steps
    epoch_size = num_examples // batch_size
    example_indices = list(range(num_examples))
    random.shuffle(example_indices)

    # 返回从pos开始的长为num_steps的序列
    def _data(pos):
        return corpus_indices[pos: pos + num_steps]
    if device is None:
        device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')

    for i in range(epoch_size):
        # 每次读取batch_size个随机样本
        i = i * batch_size
        batch_indices = example_indices[i: i + batch_size]
        X = [_data(j * num_steps) for j in batch_indices]
        Y = [_data(j * num_steps + 1) for j in batch_indices]
        yield torch.tensor(X, dtype=torch.float32, device=device), torch.tensor(Y, dtype=torch.float32, device=device)
"""  # noqa: E501

BOOK_CONSECUTIVE = """
def data_iter_consecutive(corpus_indices, batch_size, num_steps, device=None):
    if device is None:
        device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')
    corpus_indices = torch.tensor(corpus_indices, dtype=torch.float32, device=device)
    data_len = len(corpus_indices)
    batch_len = data_len // batch_size
    indices = corpus_indices[0: batch_size*batch_len].view(batch_size, batch_len)
    epoch_size = (batch_len - 1) // num_steps
    for i in range(epoch_size):
        i = i * num_steps
        X = indices[:, i: i + num_steps]
        Y = indices[:, i + 1: i + num_steps + 1]
        yield X, Y
"""


def random_sampler(*, starts: str = "[i * num_steps for i in range(num_examples)]",
                   count: str = "(len(corpus_indices) - 1) // num_steps",
                   shuffle: str = "random.shuffle(example_indices)",
                   stop: str = "num_examples", x: str = "_data(j)", y: str = "_data(j + 1)",
                   batch: str = "batch_indices", dtype: str = "torch.int64",
                   device: str = "device") -> str:
    """The seed's random sampler with one piece replaced."""
    return f"""
def data_iter_random(corpus_indices, batch_size, num_steps, device=None):
    num_examples = {count}
    example_indices = {starts}
    {shuffle}

    def _data(i):
        return corpus_indices[i: i + num_steps]
    if device is None:
        device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')

    for i in range(0, {stop}, batch_size):
        batch_indices = example_indices[i: i + batch_size]
        X = [{x} for j in batch_indices]
        Y = [{y} for j in {batch}]
        yield (torch.tensor(X, dtype={dtype}, device={device}),
               torch.tensor(Y, dtype={dtype}, device={device}))
"""


def consecutive_sampler(*, keep: str = "len(corpus_indices) // batch_size * batch_size",
                        layout: str = "indices.view(batch_size, -1)",
                        count: str = "(indices.shape[1] - 1) // num_steps",
                        order: str = "range(batch_num)",
                        y: str = "indices[:, i + 1: i + num_steps + 1]",
                        device: str = "device") -> str:
    """The seed's consecutive sampler with one piece replaced."""
    return f"""
def data_iter_consecutive(corpus_indices, batch_size, num_steps, device=None):
    if device is None:
        device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')
    corpus_len = {keep}
    indices = torch.tensor(corpus_indices[: corpus_len], device={device})
    indices = {layout}
    batch_num = {count}
    for i in {order}:
        i = i * num_steps
        X = indices[:, i: i + num_steps]
        Y = {y}
        yield X, Y
"""


# -- the seed's code and other accepted variants -----------------------------------------


def test_the_seeds_samplers_keep_full_marks(tmp_path):
    submission = with_function(mistake(tmp_path, MODULE, SEED_RANDOM), MODULE,
                               SEED_CONSECUTIVE)
    report = grade(submission, only=MODULE, device="all")
    assert_full_marks(report)
    assert {t.device for t in report.tests if t.status == "passed"} >= {"cpu", PLACEMENT}


@pytest.mark.parametrize("random_source, consecutive_source", [
    (SEED_RANDOM, SEED_CONSECUTIVE), (BOOK_RANDOM, BOOK_CONSECUTIVE),
], ids=["seed", "book-port"])
def test_the_sources_samplers_pass_the_self_checks_and_keep_full_marks(
        tmp_path, random_source, consecutive_source):
    submission = with_function(mistake(tmp_path, MODULE, random_source), MODULE,
                               consecutive_source)
    assert_self_checks_pass(tmp_path, submission, MODULE)
    report = grade(submission, only=MODULE, device="all")
    assert_full_marks(report)
    assert {t.check for t in report.tests if t.device == "cpu"} >= {
        "test_data_iter_random_windows", "test_data_iter_consecutive_streams"}


def test_a_random_sampler_dropping_the_short_last_batch_keeps_full_marks(tmp_path):
    source = random_sampler(stop="num_examples - num_examples % batch_size")
    for device in ("cpu", "placement"):
        assert_full_marks(graded(tmp_path / device, source, "data_iter_random", device=device))


# -- data_iter_random --------------------------------------------------------------------


@pytest.mark.parametrize("source, check, expected", [
    (random_sampler(y="_data(j)"), "test_data_iter_random_windows",
     "Y is the same as X: Y holds the targets"),
    (random_sampler(batch="reversed(batch_indices)"), "test_data_iter_random_windows",
     "row 0 of Y is not row 0 of X shifted by one token"),
    (random_sampler(starts="list(range(num_examples))"), "test_data_iter_random_windows",
     "which is not a multiple of num_steps = 5: the windows must not overlap"),
    (random_sampler(starts="[i * (num_steps - 1) for i in range(num_examples)]"),
     "test_data_iter_random_windows", "which is not a multiple of num_steps"),
    (random_sampler(starts="[i * num_steps for i in range(num_examples - 1)]",
                    stop="num_examples - 1"),
     "test_data_iter_random_windows", "left out 1 of the 40 windows"),
    (random_sampler(starts="[random.randrange(num_examples) * num_steps "
                           "for i in range(num_examples)]"),
     "test_data_iter_random_windows", "times in one pass: each window must appear once"),
    (random_sampler(shuffle="pass"), "test_data_iter_random_shuffles",
     "does not shuffle the windows: 39 of 39 consecutive windows"),
    (random_sampler(shuffle="random.Random(0).shuffle(example_indices)"),
     "test_data_iter_random_shuffles", "in the same order every time it is called"),
    (random_sampler(dtype="torch.float16"), "test_data_iter_random_windows",
     "has dtype torch.float16: token indices must be int64"),
], ids=["y-equals-x", "y-misaligned", "overlapping", "off-grid", "missing-window",
        "with-replacement", "never-shuffled", "same-order", "float-dtype"])
def test_data_iter_random_mistakes_are_diagnosed(tmp_path, source, check, expected):
    report = graded(tmp_path, source, "data_iter_random")
    assert expected in failures(report)[check]


def test_data_iter_random_shuffling_only_the_minibatches_is_not_shuffling(tmp_path):
    # Windows stay in corpus order inside each minibatch: at least 30 of 39 neighbours survive.
    source = random_sampler(shuffle="pass", stop="num_examples")
    source = source.replace(
        "    for i in range(0, num_examples, batch_size):",
        "    batch_starts = list(range(0, num_examples, batch_size))\n"
        "    random.shuffle(batch_starts)\n"
        "    for i in batch_starts:")
    report = graded(tmp_path, source, "data_iter_random")
    assert "does not shuffle the windows" in failures(report)["test_data_iter_random_shuffles"]


def test_data_iter_random_running_past_the_end(tmp_path):
    # The minus 1 forgotten: harmless unless the corpus length is a multiple of num_steps.
    report = graded(tmp_path, random_sampler(count="len(corpus_indices) // num_steps"),
                    "data_iter_random")
    failed = failures(report)
    assert list(failed) == ["test_data_iter_random_corpus_end"]
    assert "runs past the end of the corpus" in failed["test_data_iter_random_corpus_end"]
    assert "(len(corpus_indices) - 1) // num_steps" in failed["test_data_iter_random_corpus_end"]


def test_data_iter_random_running_past_the_end_in_chinese(tmp_path):
    report = graded(tmp_path, random_sampler(count="len(corpus_indices) // num_steps"),
                    "data_iter_random", lang="zh")
    assert "越过了语料的末尾" in failures(report)["test_data_iter_random_corpus_end"]


def test_data_iter_random_ignoring_its_device(tmp_path):
    report = graded(tmp_path, random_sampler(device="'cpu'"), "data_iter_random",
                    device=PLACEMENT)
    assert "although it was called with device=cuda: create them with device=device" in \
        failures(report)["test_data_iter_random_device"]


def test_data_iter_random_with_a_wrong_default_device(tmp_path):
    # The CPU whatever the machine: wrong where there is a GPU, real or simulated.
    source = random_sampler().replace(
        "torch.device('cuda' if torch.cuda.is_available() else 'cpu')", "torch.device('cpu')")
    report = graded(tmp_path, source, "data_iter_random", device=PLACEMENT)
    failed = failures(report)
    assert list(failed) == ["test_data_iter_random_default_device"]
    assert "but device=None means cuda" in failed["test_data_iter_random_default_device"]


# -- data_iter_consecutive ---------------------------------------------------------------


@pytest.mark.parametrize("source, check, expected", [
    (consecutive_sampler(layout="indices.view(-1, batch_size).t()"),
     "test_data_iter_consecutive_streams",
     "Row 0 of X in minibatch 1 from data_iter_consecutive is not a run of consecutive "
     "tokens of the corpus: lay the kept corpus out as indices.view(batch_size, -1)"),
    (consecutive_sampler(order="reversed(range(batch_num))"),
     "test_data_iter_consecutive_streams",
     "Row 0 of minibatch 2 from data_iter_consecutive does not continue row 0 of minibatch 1"),
    (consecutive_sampler(layout="indices.view(batch_size, -1)[torch.randperm(batch_size)]"),
     "test_data_iter_consecutive_streams", "Row 0 of the first minibatch"),
    (consecutive_sampler(y="X"), "test_data_iter_consecutive_streams",
     "Y is the same as X"),
    (consecutive_sampler(y="indices[:, i + 1: i + num_steps + 1].flip(0)"),
     "test_data_iter_consecutive_streams", "row 0 of Y is not row 0 of X shifted by one"),
    (consecutive_sampler(keep="len(corpus_indices)"), "test_data_iter_consecutive_streams",
     "cannot lay the corpus out as batch_size rows (language_model.py, line"),
    (consecutive_sampler(count="indices.shape[1] // num_steps - 1"),
     "test_data_iter_consecutive_streams", "yielded 9 minibatches, expected 10"),
], ids=["wrong-reshape", "out-of-order", "rows-shuffled", "y-equals-x", "y-misaligned",
        "not-truncated", "one-batch-short"])
def test_data_iter_consecutive_mistakes_are_diagnosed(tmp_path, source, check, expected):
    report = graded(tmp_path, source, "data_iter_consecutive")
    assert expected in failures(report)[check]


def test_data_iter_consecutive_cut_into_separate_chunks(tmp_path):
    # Each minibatch a fresh (batch_size, num_steps) chunk of the corpus: rows are runs of
    # tokens, but row i of the next minibatch does not continue row i.
    report = graded(tmp_path, """
    def data_iter_consecutive(corpus_indices, batch_size, num_steps, device=None):
        if device is None:
            device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')
        indices = torch.tensor(corpus_indices, device=device)
        chunk = batch_size * num_steps
        for start in range(0, (len(corpus_indices) - 1) // chunk * chunk, chunk):
            X = indices[start: start + chunk].view(batch_size, num_steps)
            Y = indices[start + 1: start + chunk + 1].view(batch_size, num_steps)
            yield X, Y
    """, "data_iter_consecutive")
    message = failures(report)["test_data_iter_consecutive_streams"]
    assert "does not continue row 0 of minibatch 1: it starts at corpus position 20, " \
           "where 5 was expected" in message


def test_data_iter_consecutive_running_past_the_row_end(tmp_path):
    report = graded(tmp_path, consecutive_sampler(count="indices.shape[1] // num_steps"),
                    "data_iter_consecutive")
    failed = failures(report)
    assert list(failed) == ["test_data_iter_consecutive_row_end"]
    assert "in the last minibatch Y has 4 columns instead of num_steps = 5" in \
        failed["test_data_iter_consecutive_row_end"]


def test_data_iter_consecutive_ignoring_its_device(tmp_path):
    report = graded(tmp_path, consecutive_sampler(device="'cpu'"), "data_iter_consecutive",
                    device=PLACEMENT)
    assert "although it was called with device=cuda" in \
        failures(report)["test_data_iter_consecutive_device"]


def test_data_iter_consecutive_continuity_in_chinese(tmp_path):
    report = graded(tmp_path, consecutive_sampler(order="reversed(range(batch_num))"),
                    "data_iter_consecutive", lang="zh")
    message = failures(report)["test_data_iter_consecutive_streams"]
    assert "没有接续第 1 个小批量的第 0 行" in message


# -- NumPy arrays, placement ---------------------------------------------------------------

NUMPY_RANDOM = random_sampler().replace(
    "        yield (torch.tensor(X, dtype=torch.int64, device=device),\n"
    "               torch.tensor(Y, dtype=torch.int64, device=device))",
    "        yield np.array(X), np.array(Y)").replace(
    "def data_iter_random(", "import numpy as np\n\n\ndef data_iter_random(")


def test_a_sampler_yielding_numpy_arrays_is_told_tensors_are_expected(tmp_path):
    assert "np.array(X)" in NUMPY_RANDOM
    report = graded(tmp_path, NUMPY_RANDOM, "data_iter_random")
    message = failures(report)["test_data_iter_random_windows"]
    assert "data_iter_random should yield (X, Y) pairs of tensors, but it yielded a tuple of " \
           "2 NumPy arrays: NumPy arrays are not tensors." in message
    for text in (messages(report), messages(graded(tmp_path / "zh", NUMPY_RANDOM,
                                                    "data_iter_random", lang="zh"))):
        assert not re.search(r"Opaque|Drained|type_name|array\(", text)


def test_a_sampler_yielding_numpy_arrays_in_chinese_without_english(tmp_path):
    report = graded(tmp_path, NUMPY_RANDOM, "data_iter_random", lang="zh")
    message = failures(report)["test_data_iter_random_windows"]
    assert "但它产出了由 2 个 NumPy 数组组成的元组：NumPy 数组不是张量" in message
    assert english_words(message) == []


@pytest.mark.parametrize("function, source, check", [
    ("data_iter_random", random_sampler(count="(len(corpus_indices) - 1) // num_steps - 1"),
     "test_data_iter_random_windows"),
    ("data_iter_random", random_sampler(y="_data(j)"), "test_data_iter_random_windows"),
    ("data_iter_consecutive", consecutive_sampler(count="indices.shape[1] // num_steps - 1"),
     "test_data_iter_consecutive_streams"),
], ids=["random-window-count", "random-y-equals-x", "consecutive-batch-count"])
def test_a_mistake_of_values_costs_placement_too(tmp_path, function, source, check):
    submission = mistake(tmp_path, MODULE, source)
    assert check in failures(grade(submission, only=function, device="cpu"))
    report = grade(submission, only=function, device="placement")
    assert {t.check for t in report.tests} == {f"test_{function}_device",
                                               f"test_{function}_default_device"}
    assert {t.diagnosis for t in report.tests} == {"placement.wrong_values"}
    assert report.score == 0


def test_a_sampler_ignoring_its_device_fails_placement_as_on_a_gpu(tmp_path):
    # Always on the CPU: wrong for device=cuda, and for device=None where a GPU is there.
    report = graded(tmp_path, random_sampler(device="'cpu'"), "data_iter_random",
                    device="placement")
    assert list(failures(report)) == ["test_data_iter_random_device",
                                      "test_data_iter_random_default_device"]
