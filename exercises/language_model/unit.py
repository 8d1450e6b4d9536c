"""language_model: its messages in English and Chinese, and what else the grader knows of it."""

from autograder.registry import Mistake

MESSAGES = {
    "lm.not_pairs": {
        "en": "{function} should yield (X, Y) pairs of tensors, but it yielded {actual}.",
        "zh": "{function} 应当产出 (X, Y) 张量对，但它产出了 {actual}。",
    },
    "lm.dtype": {
        "en": "{what} from {function} has dtype {actual}: token indices must be int64 "
              "(torch.long), which embedding layers and one-hot encoding expect, or "
              "float32 as the book's port makes them (its to_onehot calls .long(), and "
              "float32 holds every index below 2 ** 24 exactly). Build the tensors with "
              "dtype=torch.int64 (torch.tensor of a list of ints already is).",
        "zh": "{function} 给出的 {what} 的数据类型是 {actual}：词元下标必须是 int64（torch.long），"
              "嵌入层和独热编码都需要它；也可以像本书的 PyTorch 版那样用 float32"
              "（它的 to_onehot 会调用 .long()，而 float32 能精确表示 2 ** 24 以下的每个下标）。"
              "请用 dtype=torch.int64 创建张量（由整数列表构造的 torch.tensor 本来就是 int64）。",
    },
    "lm.not_windows": {
        "en": "Row {row} of X in minibatch {batch} from {function} is not a run of "
              "num_steps consecutive tokens of the corpus: every row must be "
              "corpus_indices[s : s + num_steps] for some start s.",
        "zh": "{function} 第 {batch} 个小批量中 X 的第 {row} 行不是语料中连续的 num_steps 个词元："
              "每一行都必须是某个起点 s 的 corpus_indices[s : s + num_steps]。",
    },
    "lm.y_equals_x": {
        "en": "In minibatch {batch} from {function}, Y is the same as X: Y holds the "
              "targets, the token after each token of X, so Y[i] = corpus_indices"
              "[s + 1 : s + num_steps + 1] for X[i] = corpus_indices[s : s + num_steps].",
        "zh": "{function} 第 {batch} 个小批量中 Y 与 X 相同：Y 是目标，即 X 中每个词元的下一个词元，"
              "X[i] = corpus_indices[s : s + num_steps] 时 Y[i] = corpus_indices[s + 1 : s + num_steps + 1]。",
    },
    "lm.y_misaligned": {
        "en": "In minibatch {batch} from {function}, row {row} of Y is not row {row} of X "
              "shifted by one token: Y[i] must be corpus_indices[s + 1 : s + num_steps + 1] "
              "for X[i] = corpus_indices[s : s + num_steps].",
        "zh": "{function} 第 {batch} 个小批量中 Y 的第 {row} 行不是 X 的第 {row} 行右移一个词元："
              "X[i] = corpus_indices[s : s + num_steps] 时 Y[i] 必须是 "
              "corpus_indices[s + 1 : s + num_steps + 1]。",
    },
    "lm.ignores_device": {
        "en": "{function} put its tensors on {actual} although it was called with "
              "device={expected}: create them with device=device.",
        "zh": "{function} 被调用时传入了 device={expected}，但它把张量放在了 {actual} 上："
              "创建张量时请使用 device=device。",
    },
    "lm.default_device": {
        "en": "Called without a device, {function} put its tensors on {actual}, but "
              "device=None means {expected}: torch.device('cuda' if "
              "torch.cuda.is_available() else 'cpu').",
        "zh": "不传 device 调用时 {function} 把张量放在了 {actual} 上，但 device=None 的含义是 {expected}："
              "`torch.device('cuda' if torch.cuda.is_available() else 'cpu')`。",
    },
    "data_iter_random.off_grid": {
        "en": "data_iter_random yielded a window starting at corpus position {start}, which "
              "is not a multiple of num_steps = {num_steps}: the windows must not overlap, "
              "so they start at 0, num_steps, 2 * num_steps, ... "
              "(example_indices = [i * num_steps for i in range(num_examples)]).",
        "zh": "data_iter_random 给出了一个从语料位置 {start} 开始的窗口，它不是 num_steps = {num_steps} "
              "的倍数：窗口之间不能重叠，所以起点应为 0, num_steps, 2 * num_steps, ..."
              "（`example_indices = [i * num_steps for i in range(num_examples)]`）。",
    },
    "data_iter_random.repeated": {
        "en": "data_iter_random yielded the window starting at position {start} {times} "
              "times in one pass: each window must appear once per pass (shuffle the "
              "start positions, don't draw them with replacement).",
        "zh": "data_iter_random 在一轮中把从位置 {start} 开始的窗口给出了 {times} 次：每个窗口每轮只能出现一次"
              "（请打乱起点列表，而不是有放回地随机抽取）。",
    },
    "data_iter_random.missing": {
        "en": "data_iter_random left out {count} of the {total} windows (e.g. the one "
              "starting at position {start}): use num_examples = (len(corpus_indices) - 1) "
              "// num_steps windows and yield each once (only a short last minibatch may "
              "be dropped).",
        "zh": "data_iter_random 漏掉了 {total} 个窗口中的 {count} 个（例如从位置 {start} 开始的那个）："
              "窗口数应为 num_examples = (len(corpus_indices) - 1) // num_steps，每个都要给出一次"
              "（只有最后一个不满的小批量可以丢掉）。",
    },
    "data_iter_random.batch_size": {
        "en": "data_iter_random yielded a minibatch of {actual} windows where {expected} "
              "were expected: every minibatch but the last holds batch_size windows.",
        "zh": "data_iter_random 给出了含 {actual} 个窗口的小批量，应为 {expected} 个：除最后一个外，"
              "每个小批量都应有 batch_size 个窗口。",
    },
    "data_iter_random.past_end": {
        "en": "data_iter_random runs past the end of the corpus{where}: the last window has no "
              "target for its last token. The final token can only be a target, so there "
              "are num_examples = (len(corpus_indices) - 1) // num_steps windows, not "
              "len(corpus_indices) // num_steps.",
        "zh": "data_iter_random 越过了语料的末尾{where}：最后一个窗口的最后一个词元没有目标。最后一个词元只能作为目标，"
              "所以窗口数是 num_examples = (len(corpus_indices) - 1) // num_steps，"
              "而不是 len(corpus_indices) // num_steps。",
    },
    "data_iter_random.not_shuffled": {
        "en": "data_iter_random does not shuffle the windows: {adjacent} of {pairs} "
              "consecutive windows it yielded are also neighbours in the corpus. Shuffle "
              "the list of window starts (random.shuffle(example_indices)) before cutting "
              "it into minibatches.",
        "zh": "data_iter_random 没有打乱窗口：它给出的相邻窗口中有 {adjacent}/{pairs} 对在语料中也是相邻的。"
              "请在切分小批量之前打乱窗口起点列表（random.shuffle(example_indices)）。",
    },
    "data_iter_random.same_order": {
        "en": "data_iter_random yields the windows in the same order every time it is "
              "called: shuffle anew on each call (random.shuffle inside the function, "
              "without re-seeding it there).",
        "zh": "data_iter_random 每次被调用时给出的窗口顺序都一样：请在每次调用时重新打乱"
              "（在函数内部调用 random.shuffle，且不要在函数里重新设定随机种子）。",
    },
    "data_iter_consecutive.not_rows": {
        "en": "Row {row} of X in minibatch {batch} from data_iter_consecutive is not a run "
              "of consecutive tokens of the corpus: lay the kept corpus out as "
              "indices.view(batch_size, -1), so that row i is the i-th stretch of the "
              "corpus (view(-1, batch_size) and a transpose interleave the streams "
              "instead), and cut minibatches out of it column-wise, "
              "indices[:, i : i + num_steps].",
        "zh": "data_iter_consecutive 第 {batch} 个小批量中 X 的第 {row} 行不是语料中连续的词元："
              "请把保留的语料排成 indices.view(batch_size, -1)，使第 i 行是语料的第 i 段"
              "（view(-1, batch_size) 再转置会把各条序列交错在一起），再按列切出小批量："
              "indices[:, i : i + num_steps]。",
    },
    "data_iter_consecutive.not_continuous": {
        "en": "Row {row} of minibatch {batch} from data_iter_consecutive does not continue "
              "row {row} of minibatch {previous}: it starts at corpus position {actual}, "
              "where {expected} was expected. Lay the kept corpus out once as a "
              "(batch_size, -1) matrix (indices.view(batch_size, -1)) and yield its "
              "column windows in order, so that each row is one continuous stream.",
        "zh": "data_iter_consecutive 第 {batch} 个小批量的第 {row} 行没有接续第 {previous} 个小批量的"
              "第 {row} 行：它从语料位置 {actual} 开始，应从 {expected} 开始。请把保留的语料一次性排成 "
              "(batch_size, -1) 的矩阵（indices.view(batch_size, -1)），再按顺序取出列窗口，"
              "让每一行都是一条连续的序列。",
    },
    "data_iter_consecutive.layout": {
        "en": "Row {row} of the first minibatch from data_iter_consecutive starts at corpus "
              "position {actual}, where {expected} was expected: keep the first "
              "len(corpus_indices) // batch_size * batch_size tokens and lay them out as "
              "indices.view(batch_size, -1), so row i is the i-th of batch_size equal "
              "stretches of the corpus, and start at column 0.",
        "zh": "data_iter_consecutive 第一个小批量的第 {row} 行从语料位置 {actual} 开始，应从 {expected} 开始："
              "请保留前 len(corpus_indices) // batch_size * batch_size 个词元，排成 "
              "indices.view(batch_size, -1)，使第 i 行是语料等分成 batch_size 段中的第 i 段，"
              "并从第 0 列开始取。",
    },
    "data_iter_consecutive.batch_count": {
        "en": "data_iter_consecutive yielded {actual} minibatches, expected {expected}: "
              "with indices = corpus.view(batch_size, -1) there are "
              "(indices.shape[1] - 1) // num_steps of them (the last column can only be a "
              "target).",
        "zh": "data_iter_consecutive 给出了 {actual} 个小批量，应为 {expected} 个："
              "`indices = corpus.view(batch_size, -1)` 时共有 (indices.shape[1] - 1) // num_steps 个"
              "（最后一列只能作为目标）。",
    },
    "data_iter_consecutive.past_end": {
        "en": "data_iter_consecutive runs past the end of its rows: in the last minibatch "
              "Y has {actual} columns instead of num_steps = {expected}. The last column "
              "can only be a target: there are (indices.shape[1] - 1) // num_steps "
              "minibatches, not indices.shape[1] // num_steps.",
        "zh": "data_iter_consecutive 越过了行的末尾：最后一个小批量中 Y 只有 {actual} 列，而不是 "
              "num_steps = {expected} 列。最后一列只能作为目标：小批量个数是 "
              "(indices.shape[1] - 1) // num_steps，而不是 indices.shape[1] // num_steps。",
    },
    "data_iter_consecutive.truncate": {
        "en": "data_iter_consecutive cannot lay the corpus out as batch_size rows{where}: its "
              "length is not a multiple of batch_size. Keep only the first "
              "len(corpus_indices) // batch_size * batch_size tokens before "
              ".view(batch_size, -1).",
        "zh": "data_iter_consecutive 无法把语料排成 batch_size 行{where}：语料长度不是 batch_size 的倍数。"
              "请在 .view(batch_size, -1) 之前只保留前 len(corpus_indices) // batch_size * batch_size "
              "个词元。",
    },
    "test.language_model.test_data_iter_random_windows": {
        "en": "data_iter_random yields every non-overlapping window once, with Y shifted by one",
        "zh": "data_iter_random 恰好给出每个不重叠窗口一次，Y 错开一个词元",
    },
    "test.language_model.test_data_iter_random_corpus_end": {
        "en": "data_iter_random stops before the end of a corpus whose length is a multiple of num_steps",
        "zh": "语料长度是 num_steps 的倍数时，data_iter_random 不越过语料末尾",
    },
    "test.language_model.test_data_iter_random_shuffles": {
        "en": "data_iter_random yields the windows in a fresh random order on every call",
        "zh": "data_iter_random 每次调用都以新的随机顺序给出窗口",
    },
    "test.language_model.test_data_iter_random_device": {
        "en": "data_iter_random puts the right X and Y on the device it is given",
        "zh": "data_iter_random 把正确的 X 和 Y 放到给定的设备上",
    },
    "test.language_model.test_data_iter_random_default_device": {
        "en": "data_iter_random without a device puts right X and Y on the GPU, else the CPU",
        "zh": "不指定设备时，data_iter_random 把正确的 X 和 Y 放到 GPU 上（没有 GPU 时放到 CPU 上）",
    },
    "test.language_model.test_data_iter_consecutive_streams": {
        "en": "data_iter_consecutive continues each row from one minibatch to the next",
        "zh": "data_iter_consecutive 的每一行在相邻小批量之间首尾相接",
    },
    "test.language_model.test_data_iter_consecutive_row_end": {
        "en": "data_iter_consecutive stops before the last column of its rows",
        "zh": "data_iter_consecutive 在各行最后一列之前停止",
    },
    "test.language_model.test_data_iter_consecutive_device": {
        "en": "data_iter_consecutive puts the right X and Y on the device it is given",
        "zh": "data_iter_consecutive 把正确的 X 和 Y 放到给定的设备上",
    },
    "test.language_model.test_data_iter_consecutive_default_device": {
        "en": "data_iter_consecutive without a device puts right X and Y on the GPU, else the CPU",
        "zh": "不指定设备时，data_iter_consecutive 把正确的 X 和 Y 放到 GPU 上（没有 GPU 时放到 CPU 上）",
    },
    "feedback.samplers.heading": {"en": "Language model: the two samplers",
                                  "zh": "语言模型：两种采样方法"},
    "feedback.samplers.intro": {
        "en": "The corpus is the tokens 0 to {last}, with batch_size = {batch_size} and "
              "num_steps = {num_steps}. Each line is one row of one of the first {batches} "
              "minibatches (the minibatch's number, in its colour, then the row's): the "
              "filled cells are X, the bar beneath marks Y, which is X shifted by one token.",
        "zh": "语料是词元 0 到 {last}，batch_size = {batch_size}，num_steps = {num_steps}。"
              "每一行是前 {batches} 个小批量之一中的一行（左边先是小批量的序号，颜色与该小批量相同，"
              "然后是行号）：实心格是 X，下方的横条标出 Y，即 X 向后移动一个词元。",
    },
    "feedback.samplers.data_iter_random": {
        "en": "data_iter_random: the windows never overlap, and their order is shuffled, so "
              "yours need not come in the book's order.",
        "zh": "data_iter_random：各个窗口互不重叠，顺序是随机打乱的，所以你的顺序不必与书中相同。",
    },
    "feedback.samplers.data_iter_consecutive": {
        "en": "data_iter_consecutive: row i of the second minibatch continues row i of the "
              "first.",
        "zh": "data_iter_consecutive：第二个小批量的第 i 行紧接着第一个小批量的第 i 行。",
    },
    "feedback.samplers.overlap": {
        "en": "The windows of {function} overlap: the cells framed in red are in more than "
              "one window.",
        "zh": "{function} 的窗口相互重叠：红框中的词元出现在不止一个窗口里。",
    },
    "feedback.too_few_batches": {
        "en": "{function} yielded {count} minibatches; the picture needs {expected}.",
        "zh": "{function} 只给出了 {count} 个小批量；绘图需要 {expected} 个。",
    },
    "feedback.cut.batches": {
        "en": "The picture of {function} was cut: it yielded minibatches of up to {rows} "
              "rows of {tokens} tokens, and only the first {max_rows} rows of {max_tokens} "
              "tokens are drawn.",
        "zh": "{function} 的图已截断：它给出的小批量多达 {rows} 行、每行 {tokens} 个词元，"
              "只画出了前 {max_rows} 行、每行前 {max_tokens} 个词元。",
    },
    "course.language_model.notes": {
        "en": "A language model learns {p}: it reads a window of\n`num_steps` tokens and is "
              "trained to predict each next token, so every sampler yields\ninputs `X` and "
              "targets `Y` that are `X` shifted one token to the left. The two samplers\n"
              "differ in how windows are cut and ordered: random sampling shuffles independent "
              "windows;\nconsecutive sampling lets row {i} of one minibatch continue row {i} "
              "of the previous one.",
        "zh": "语言模型学习 {p}：它读入 `num_steps` 个词元的窗口，并被训练去预测每个下一个"
              "词元，所以每个采样器给出的输入 `X` 和目标 `Y` 中，`Y` 是 `X` 向左平移一个词元。"
              "两个采样器的区别在于窗口如何切分和排序：随机采样打乱相互独立的窗口；"
              "相邻采样让一个小批量的第 {i} 行接续上一个小批量的第 {i} 行。",
    },
    "course.language_model.intro": {"zh": """\
语言模型的小批量采样器。

《动手学深度学习》“循环神经网络”一章的“语言模型”一节（学习小组所用中文版的 6.3 节\
“语言模型数据集”，你要实现的就是该版本中不带随机起始偏移的两个采样器）。\
语言模型被训练去预测下一个词元，所以每个采样器给出的输入 X 都配有目标 Y，\
Y 是 X 向左平移一个词元：Y[i, t] 是语料中紧跟在 X[i, t] 之后的词元。"""},
    "course.language_model.data_iter_random.doc": {"zh": """\
随机采样：由互不重叠的子序列组成、顺序随机的小批量。

把语料切成 num_examples = (len(corpus_indices) - 1) // num_steps 个互不重叠的窗口，\
起点为 0、num_steps、2 * num_steps……（减 1 是因为最后一个词元没有后继可作目标），\
用 random.shuffle 打乱起点，每个小批量取其中 batch_size 个。相邻的两个小批量在语料中\
一般并不相邻，所以每个小批量都要重新初始化 RNN 的隐状态。

参数：
    corpus_indices: 语料，由词元下标（int）组成的 list。
    batch_size: 每个小批量的子序列数。
    num_steps: 每个子序列的时间步数（词元数）。
    device: 张量放在哪里；None 表示 torch.device('cuda' if torch.cuda.is_available() else 'cpu')。

生成：
    (X, Y)，位于 device 上、形状为 (batch_size, num_steps) 的 int64 张量，\
其中对某个窗口起点 s 有 X[i] = corpus_indices[s : s + num_steps]，\
Y[i] = corpus_indices[s + 1 : s + num_steps + 1]；float32 张量（本书的 \
d2lzh_pytorch）也可以。num_examples % batch_size != 0 时最后一个小批量的行数较少；\
像本书的 d2lzh_pytorch 那样丢掉这个不满的小批量（只给出 num_examples // batch_size \
个完整的小批量）也可以。不修改 corpus_indices。"""},
    "course.language_model.data_iter_consecutive.doc": {"zh": """\
相邻采样（顺序采样）：相邻的小批量彼此接续。

保留前 len(corpus_indices) // batch_size * batch_size 个词元，排成 (batch_size, -1) 的矩阵\
（第 i 行是语料中连续的一段），再用一个 num_steps 列的窗口在矩阵上滑动。\
第 k + 1 个小批量的第 i 行接续第 k 个小批量的第 i 行，所以 RNN 可以把隐状态从一个小批量\
带到下一个（并把它从计算图中分离，使反向传播只在一个小批量之内）。

参数：
    corpus_indices: 语料，由词元下标（int）组成的 list。
    batch_size: 每个小批量的行数（并行的序列流数）。
    num_steps: 每个小批量的时间步数（词元数）。
    device: 张量放在哪里；None 表示 torch.device('cuda' if torch.cuda.is_available() else 'cpu')。

生成：
    (X, Y)，位于 device 上、形状为 (batch_size, num_steps) 的 int64 张量，\
Y[:, t] 是同一行中 X[:, t] 之后的词元；共 (indices.shape[1] - 1) // num_steps 个小批量。\
float32 张量（本书的 d2lzh_pytorch）也可以。不修改 corpus_indices。"""},
}

# A fragment of the error text that a classic mistake raises, and its diagnosis.
KNOWN_ERRORS = [
    ("data_iter_random", "expected sequence of length", "data_iter_random.past_end"),
    ("data_iter_random", "stack expects each tensor to be equal size",
     "data_iter_random.past_end"),
    ("data_iter_random", "is out of bounds for dimension", "data_iter_random.past_end"),
    ("data_iter_consecutive", "is invalid for input of size", "data_iter_consecutive.truncate"),
]

# The notebook's formulas and code: the fields of course.language_model.notes.
FORMULAS = {
    "p": r"$P(x_t \mid x_{t-1}, \ldots, x_1)$",
    "i": r"$i$",
}

# Classic mistakes: the reference with one definition replaced by the code, which must
# lose points with the diagnosis named (the project's tests and benches grade each one).
MISTAKES = [
    Mistake("random-y-is-x", "data_iter_random", "lm.y_equals_x", """
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
            Y = [_data(j) for j in batch_indices]
            yield (torch.tensor(X, dtype=torch.int64, device=device),
                   torch.tensor(Y, dtype=torch.int64, device=device))
"""),
    Mistake("random-past-the-end", "data_iter_random", "data_iter_random.past_end", """
    def data_iter_random(corpus_indices, batch_size, num_steps, device=None):
        num_examples = len(corpus_indices) // num_steps
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
            yield (torch.tensor(X, dtype=torch.int64, device=device),
                   torch.tensor(Y, dtype=torch.int64, device=device))
"""),
    Mistake("consecutive-out-of-order", "data_iter_consecutive", "data_iter_consecutive.not_continuous", """
    def data_iter_consecutive(corpus_indices, batch_size, num_steps, device=None):
        if device is None:
            device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')
        corpus_len = len(corpus_indices) // batch_size * batch_size
        indices = torch.tensor(corpus_indices[: corpus_len], device=device)
        indices = indices.view(batch_size, -1)
        batch_num = (indices.shape[1] - 1) // num_steps
        for i in reversed(range(batch_num)):
            i = i * num_steps
            X = indices[:, i: i + num_steps]
            Y = indices[:, i + 1: i + num_steps + 1]
            yield X, Y
"""),
]
