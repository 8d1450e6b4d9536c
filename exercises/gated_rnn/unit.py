"""The gated_rnn exercise (the GRU and the LSTM from scratch): its messages, the errors
it recognises, its classic mistakes and its notebook's formulas."""

from autograder.registry import Mistake

MESSAGES = {
    # -- what came back ----------------------------------------------------------------
    "gated.not_pair": {
        "en": "{function} should return a pair (outputs, state), as the book's training "
              "loop unpacks it (outputs, state = model(inputs, state, params)), but it "
              "returned {actual}.",
        "zh": "{function} 应当返回一对值 (outputs, state)，书中的训练循环就是这样拆开它的"
              "（outputs, state = model(inputs, state, params)），但它返回了 {actual}。",
    },
    "gated.outputs_not_list": {
        "en": "The outputs of {function} should be a list of {steps} tensors, one Y per time "
              "step, but they are {actual}: append each step's Y to a list (the training loop "
              "concatenates them with torch.cat(outputs, dim=0)).",
        "zh": "{function} 的 outputs 应当是由 {steps} 个张量组成的列表，每个时间步一个 Y，"
              "但它是 {actual}：请把每个时间步的 Y 追加到列表中（训练循环会用 "
              "torch.cat(outputs, dim=0) 把它们拼接起来）。",
    },
    "gated.outputs_length": {
        "en": "{function} returned {actual} outputs for {expected} time steps: compute one "
              "output Y per element of inputs, each from that step's new hidden state.",
        "zh": "对 {expected} 个时间步，{function} 返回了 {actual} 个输出：inputs 的每个元素"
              "（每个时间步）都要由该步新的隐藏状态算出一个输出 Y。",
    },
    "gated.what_output": {"en": "The output Y of {function} at time step {step}",
                          "zh": "{function} 在第 {step} 个时间步的输出 Y"},
    "gated.what_state": {"en": "The {name} that {function} returns",
                         "zh": "{function} 返回的 {name}"},
    # -- the classic mistakes ----------------------------------------------------------
    "gru.z_swapped": {
        "en": "gru swaps Z and 1 - Z in the update: it computes (1 - Z) * H + Z * H_tilda. "
              "The update gate Z says how much of the old state to keep: "
              "H = Z * H + (1 - Z) * H_tilda, so that Z close to 1 carries H (and its "
              "gradient) unchanged across the step.",
        "zh": "gru 在更新时把 Z 和 1 - Z 用反了：它算的是 (1 - Z) * H + Z * H_tilda。"
              "更新门 Z 表示保留多少旧状态：H = Z * H + (1 - Z) * H_tilda，"
              "这样 Z 接近 1 时 H（以及它的梯度）原样穿过这一步。",
    },
    "gated.candidate_sigmoid": {
        "en": "{function} computes the candidate {name} with torch.sigmoid: the candidate "
              "uses torch.tanh, whose values in (-1, 1) can push the state up or down; "
              "sigmoid, in (0, 1), is for the gates only.",
        "zh": "{function} 用 torch.sigmoid 计算候选值 {name}：候选值要用 torch.tanh，"
              "它的取值在 (-1, 1) 内，能让状态增大也能让它减小；取值在 (0, 1) 内的 sigmoid "
              "只用于各个门。",
    },
    "gated.stale_state": {
        "en": "{function} computes its gates from a stale hidden state: at every time step "
              "they read the initial H instead of the H of the step before. Assign the new "
              "state back to H inside the loop (H = ...) and compute the gates from it.",
        "zh": "{function} 用过时的隐藏状态计算各个门：每个时间步读到的都是初始的 H，而不是上一步"
              "的 H。请在循环内把新状态赋值回 H（H = ...），并用它计算各个门。",
    },
    "gated.output_before_update": {
        "en": "{function} computes each output Y from the hidden state before the step's "
              "update: Y = H @ W_hq + b_q comes after H is updated, from the new H.",
        "zh": "{function} 用本步更新之前的隐藏状态计算输出 Y：应当先更新 H，再用新的 H 计算 "
              "Y = H @ W_hq + b_q。",
    },
    "gated.gates_swapped": {
        "en": "{function} swaps two gates ({gates}): each is computed with the other's "
              "parameters. Unpack params in the book's order, one (W_x*, W_h*, b_*) triple "
              "per gate as the docstring lists them, and use each gate where it belongs.",
        "zh": "{function} 把两个门（{gates}）弄反了：每个门都用了另一个门的参数。请按书中的顺序拆开 "
              "params，即文档字符串列出的每个门一组 (W_x*, W_h*, b_*)，并把每个门用在它该用的地方。",
    },
    "gated.state_unpacked": {
        "en": "{function} uses the state tuple itself as H{where}: the state is a tuple, (H,) "
              "for the GRU and (H, C) for the LSTM. Unpack it first: H, = state, or "
              "H, C = state.",
        "zh": "{function} 把状态元组本身当成了 H{where}：状态是元组，门控循环单元的是 (H,)，长短期记忆的是 "
              "(H, C)。请先拆开它：H, = state 或 H, C = state。",
    },
    "lstm.no_tanh_on_cell": {
        "en": "lstm computes H = O * C: the hidden state is O * tanh(C). The memory cell C "
              "may grow without bound; tanh keeps H in (-1, 1).",
        "zh": "lstm 算的是 H = O * C：隐藏状态应当是 O * tanh(C)。记忆细胞 C 可能无限增长；"
              "tanh 让 H 保持在 (-1, 1) 内。",
    },
    "lstm.cell_not_carried": {
        "en": "lstm does not carry the memory cell from step to step: every step starts "
              "from the initial C. Assign C = F * C + I * C_tilda inside the loop, so the "
              "next step uses it.",
        "zh": "lstm 没有把记忆细胞从一个时间步传到下一个：每一步都从初始的 C 开始。"
              "请在循环内赋值 C = F * C + I * C_tilda，让下一步用到它。",
    },
    "lstm.no_cell": {
        "en": "The state lstm returns lacks the memory cell C (it is {actual}): return "
              "(outputs, (H, C)), so that the next minibatch (consecutive sampling) "
              "continues from both.",
        "zh": "lstm 返回的状态缺少记忆细胞 C（它是 {actual}）：请返回 (outputs, (H, C))，"
              "这样下一个小批量（相邻采样时）才能从两者接着算。",
    },
    "lstm.state_order": {
        "en": "lstm returns its state as (C, H): the order is (H, C), as init_lstm_state "
              "makes it and as lstm unpacks it.",
        "zh": "lstm 返回的状态顺序是 (C, H)：应当是 (H, C)，与 init_lstm_state 生成的以及 lstm "
              "拆开时的顺序一致。",
    },
    "gated.state_not_tuple": {
        "en": "{function} returns {actual} as its state: return a tuple {expected}, as the "
              "initial state is one, so that the next call can unpack it.",
        "zh": "{function} 返回的状态是 {actual}：请返回元组 {expected}，与初始状态的形式相同，"
              "这样下一次调用才能拆开它。",
    },
    "gated.init_not_tuple": {
        "en": "{function} should return a tuple {expected} (even with one tensor in it), "
              "but it returned {actual}: the model unpacks the state as a tuple.",
        "zh": "{function} 应当返回元组 {expected}（即使只含一个张量），但它返回了 {actual}："
              "模型会把状态当作元组拆开。",
    },
    "gated.init_ignores_device": {
        "en": "{function} puts the state on {actual}, not on the device it is given "
              "({expected}): pass it on, torch.zeros((batch_size, num_hiddens), "
              "device=device).",
        "zh": "{function} 把状态放在了 {actual} 上，而不是传入的设备（{expected}）上：请把它传下去，"
              "torch.zeros((batch_size, num_hiddens), device=device)。",
    },
    # -- the notes of an accepted form -------------------------------------------------
    "gru.form.book": {
        "en": "Your GRU resets before the product, (R * H) @ W_hh, as the book writes it; "
              "the course notebook and PyTorch's nn.GRU reset after it, R * (H @ W_hh). "
              "Both are accepted.",
        "zh": "你的门控循环单元在乘法之前重置，(R * H) @ W_hh，与书中的写法相同；课程笔记本和 torch "
              "的 nn.GRU 在乘法之后重置，R * (H @ W_hh)。两种写法都得满分。",
    },
    "gru.form.course": {
        "en": "Your GRU resets after the product, R * (H @ W_hh), as the course notebook and "
              "PyTorch's nn.GRU do; the book writes (R * H) @ W_hh. Both are accepted.",
        "zh": "你的门控循环单元在乘法之后重置，R * (H @ W_hh)，与课程笔记本和 torch 的 nn.GRU 相同；"
              "书中写的是 (R * H) @ W_hh。两种写法都得满分。",
    },
    # -- the feedback page's pictures -------------------------------------------------
    "feedback.gated_rnn.heading": {"en": "GRU and LSTM: the hidden state over a sequence",
                                   "zh": "门控循环单元和长短期记忆：隐藏状态随序列的变化"},
    "feedback.gated_rnn.intro": {
        "en": "Your model run over one sequence of {steps} one-hot tokens from the zero "
              "state, with {units} hidden units and an output layer that passes the hidden "
              "state through (W_hq = I, b_q = 0), so that each output is H itself: one chart "
              "per hidden unit, its value at each time step. A curve that drifts from the "
              "book's after the first steps is a state that is not carried, or a gate that "
              "reads the wrong one.",
        "zh": "从零状态出发，让你的模型处理一个由 {steps} 个独热词元组成的序列，隐藏单元有 {units} 个，"
              "输出层直接传出隐藏状态（W_hq = I，b_q = 0），所以每个输出就是 H 本身："
              "每个隐藏单元一张图，画出它在每个时间步的值。曲线在最初几步之后偏离书中的曲线，"
              "说明状态没有传下去，或者某个门读到了错误的状态。",
    },
    "feedback.gated_rnn.not_drawable": {
        "en": "{function} did not return a list of {steps} outputs of shape (1, {units}), so "
              "there is nothing to draw.",
        "zh": "{function} 没有返回由 {steps} 个形状为 (1, {units}) 的输出组成的列表，因此无法绘图。",
    },
    # -- the tests' names --------------------------------------------------------------
    "test.gated_rnn.test_init_gru_state_zeros": {
        "en": "init_gru_state returns a tuple (H,) of zeros of shape (batch_size, num_hiddens)",
        "zh": "init_gru_state 返回元组 (H,)，H 是形状为 (batch_size, num_hiddens) 的全零张量",
    },
    "test.gated_rnn.test_init_gru_state_device": {
        "en": "init_gru_state puts its right state on the device it is given",
        "zh": "init_gru_state 把正确的状态放在传入的设备上",
    },
    "test.gated_rnn.test_gru_outputs": {
        "en": "gru computes each step's gates, candidate and output from the previous H",
        "zh": "gru 用上一步的 H 计算每个时间步的门、候选隐藏状态和输出",
    },
    "test.gated_rnn.test_gru_state": {
        "en": "gru returns the hidden state after the last step as a tuple (H,)",
        "zh": "gru 以元组 (H,) 返回最后一个时间步之后的隐藏状态",
    },
    "test.gated_rnn.test_gru_stays_on_device": {
        "en": "gru keeps its right outputs and state on the inputs' device",
        "zh": "gru 把正确的输出和状态留在输入所在的设备上",
    },
    "test.gated_rnn.test_init_lstm_state_zeros": {
        "en": "init_lstm_state returns a tuple (H, C) of zeros of shape (batch_size, num_hiddens)",
        "zh": "init_lstm_state 返回元组 (H, C)，两者都是形状为 (batch_size, num_hiddens) 的全零张量",
    },
    "test.gated_rnn.test_init_lstm_state_device": {
        "en": "init_lstm_state puts its right state on the device it is given",
        "zh": "init_lstm_state 把正确的状态放在传入的设备上",
    },
    "test.gated_rnn.test_lstm_outputs": {
        "en": "lstm computes each step's gates, memory cell and output from the previous H and C",
        "zh": "lstm 用上一步的 H 和 C 计算每个时间步的门、记忆细胞和输出",
    },
    "test.gated_rnn.test_lstm_state": {
        "en": "lstm returns the hidden state and the memory cell after the last step as (H, C)",
        "zh": "lstm 以 (H, C) 返回最后一个时间步之后的隐藏状态和记忆细胞",
    },
    "test.gated_rnn.test_lstm_stays_on_device": {
        "en": "lstm keeps its right outputs and state on the inputs' device",
        "zh": "lstm 把正确的输出和状态留在输入所在的设备上",
    },
    # -- the notebook ------------------------------------------------------------------
    "course.gated_rnn.notes": {
        "en": "The GRU's update gate {z} mixes the old state and a candidate:\n{gru}.\n"
              "The LSTM keeps a memory cell that each step adds to, rather than multiplying "
              "it by a matrix,\n{cell}, and shows {hidden} of it.",
        "zh": "`GRU` 的更新门 {z} 把旧状态和候选状态混合起来：\n{gru}。\n`LSTM` 保存一个记忆细胞，"
              "每一步对它做加法，而不是乘以矩阵，\n{cell}，并输出它的 {hidden}。",
    },
    "course.gated_rnn.gru.note": {
        "en": "**Two ways to reset.** The book resets the state before multiplying it by "
              "`W_hh`,\n`(R * H) @ W_hh`; the course notebook, like PyTorch's `nn.GRU`, "
              "resets after,\n`R * (H @ W_hh)`. They are different models, and both train "
              "well: either is accepted.",
        "zh": "**两种重置方式。** 书中先重置状态再乘以 `W_hh`，即 `(R * H) @ W_hh`；课程笔记本与 "
              "torch 的 `nn.GRU` 一样，在乘法之后重置，即 `R * (H @ W_hh)`。两者是不同的模型，"
              "都能训练得很好：哪一种都算对。",
    },
    "course.gated_rnn.intro": {
        "en": "(the docstring of the module in assignments/gated_rnn.py)",
        "zh": """\
从零开始实现门控循环神经网络：`GRU` 和 `LSTM`。

《动手学深度学习》“现代循环神经网络”一章的“门控循环单元（`GRU`）”和“长短期记忆（`LSTM`）”\
两节（学习小组所用中文版的 6.7 节和 6.8 节）。普通的循环神经网络在每个时间步都把梯度乘以同一个\
矩阵，所以在长序列上梯度会消失或爆炸。门是由输入和上一步隐藏状态算出的 (0, 1) 内的值，\
它们在每一步决定保留多少旧状态、放进多少新信息；这样信息（和梯度）就能在很多步之间保持下来。

两个模型都按书中训练循环（d2lzh_pytorch.train_and_predict_rnn）调用它们的方式处理一个小批量\
的序列：inputs 是 num_steps 个形状为 (batch_size, vocab_size) 的张量组成的列表，每个时间步一个\
（即 to_onehot 给出的独热行），模型对每个时间步返回一个形状为 (batch_size, vocab_size) 的输出，\
并返回最后一步之后的状态。""",
    },
    "course.gated_rnn.init_gru_state.doc": {
        "en": "(the docstring of init_gru_state in assignments/gated_rnn.py)",
        "zh": """\
`GRU` 的初始状态：只含一个全零隐藏状态 H 的元组。

即使只有一个张量，状态也是元组，这样训练循环就能同样对待 `GRU`、`LSTM`（其状态是 (H, C)）\
和普通的循环神经网络。

参数：
    batch_size: 一个小批量中的序列数。
    num_hiddens: 隐藏单元的个数。
    device: 状态所在的设备（torch.device 或字符串）。

返回：
    (H,)，H 是位于 device 上、形状为 (batch_size, num_hiddens) 的 float32 全零张量。""",
    },
    "course.gated_rnn.gru.doc": {
        "en": "(the docstring of gru in assignments/gated_rnn.py)",
        "zh": """\
让 `GRU` 运行 num_steps 个时间步。

在每个时间步 t，设 X 是该步的输入，H 是该步之前的隐藏状态：

    Z = sigmoid(X @ W_xz + H @ W_hz + b_z)          更新门
    R = sigmoid(X @ W_xr + H @ W_hr + b_r)          重置门
    H_tilda = tanh(X @ W_xh + (R * H) @ W_hh + b_h)  候选隐藏状态
    H = Z * H + (1 - Z) * H_tilda
    Y = H @ W_hq + b_q

Z 接近 1 时旧状态（及其梯度）原样保留；R 接近 0 时候选状态可以忘掉旧状态。\
候选状态写成 tanh(X @ W_xh + R * (H @ W_hh) + b_h)，即在乘法之后重置\
（课程笔记本的写法，也是 torch 自带的 nn.GRU 的写法），同样算对。\
第 t 步的门和候选状态使用第 t - 1 步的 H，每一步新的 H 都要传给下一步。

参数：
    inputs: 由 num_steps 个形状为 (batch_size, vocab_size) 的 float32 张量组成的列表，\
都在同一个设备上。
    state: (H,)，H 的形状为 (batch_size, num_hiddens)，由 init_gru_state 生成\
（或是上一次调用返回的状态）。
    params: 按书中的顺序，[W_xz, W_hz, b_z, W_xr, W_hr, b_r, W_xh, W_hh, b_h, W_hq, b_q]：\
每个 W_x* 的形状为 (vocab_size, num_hiddens)，每个 W_h* 的形状为 (num_hiddens, num_hiddens)，\
每个 b_* 的形状为 (num_hiddens,)，W_hq 的形状为 (num_hiddens, vocab_size)，\
b_q 的形状为 (vocab_size,)。

返回：
    (outputs, (H,))：outputs 是由 num_steps 个形状为 (batch_size, vocab_size) 的张量 Y \
组成的列表，H 是最后一步之后的隐藏状态；全部位于输入所在的设备上，并连在 params 的\
自动求导计算图上。不修改 inputs、state 和 params。""",
    },
    "course.gated_rnn.init_lstm_state.doc": {
        "en": "(the docstring of init_lstm_state in assignments/gated_rnn.py)",
        "zh": """\
`LSTM` 的初始状态：隐藏状态 H 和记忆细胞 C，都是全零。

参数：
    batch_size: 一个小批量中的序列数。
    num_hiddens: 隐藏单元的个数。
    device: 状态所在的设备（torch.device 或字符串）。

返回：
    (H, C)，两个位于 device 上、形状为 (batch_size, num_hiddens) 的 float32 全零张量。""",
    },
    "course.gated_rnn.lstm.doc": {
        "en": "(the docstring of lstm in assignments/gated_rnn.py)",
        "zh": """\
让 `LSTM` 运行 num_steps 个时间步。

在每个时间步，设 X 是该步的输入，(H, C) 是该步之前的状态：

    I = sigmoid(X @ W_xi + H @ W_hi + b_i)          输入门
    F = sigmoid(X @ W_xf + H @ W_hf + b_f)          遗忘门
    O = sigmoid(X @ W_xo + H @ W_ho + b_o)          输出门
    C_tilda = tanh(X @ W_xc + H @ W_hc + b_c)       候选记忆细胞
    C = F * C + I * C_tilda
    H = O * tanh(C)
    Y = H @ W_hq + b_q

记忆细胞 C 把信息从一步带到下一步，每一步对它做加法而不是乘以矩阵；tanh(C) 让 H 保持在 \
(-1, 1) 内。每一步的门和候选记忆细胞使用上一步的 H，H 和 C 都要传给下一步。

参数：
    inputs: 由 num_steps 个形状为 (batch_size, vocab_size) 的 float32 张量组成的列表，\
都在同一个设备上。
    state: (H, C)，形状都是 (batch_size, num_hiddens)，由 init_lstm_state 生成。
    params: 按书中的顺序，[W_xi, W_hi, b_i, W_xf, W_hf, b_f, W_xo, W_ho, b_o, W_xc, W_hc, \
b_c, W_hq, b_q]，形状与 gru 的参数相同。

返回：
    (outputs, (H, C))：outputs 是由 num_steps 个形状为 (batch_size, vocab_size) 的张量 Y \
组成的列表；H 和 C 是最后一步之后的状态。全部位于输入所在的设备上，并连在 params 的\
自动求导计算图上。不修改 inputs、state 和 params。""",
    },
}

# An error a classic mistake raises -> its diagnosis (the first match wins).
KNOWN_ERRORS = [
    (function, fragment, "gated.state_unpacked") for function in ("gru", "lstm")
    for fragment in ("must be Tensor, not tuple", "unsupported operand type(s) for @: 'tuple'",
                     "unsupported operand type(s) for *: 'tuple'")
]

# The book's code with one classic mistake each.
_GRU_HEAD = '''
def gru(inputs, state, params):
    W_xz, W_hz, b_z, W_xr, W_hr, b_r, W_xh, W_hh, b_h, W_hq, b_q = params
    H, = state
    outputs = []
    for X in inputs:
        Z = torch.sigmoid(torch.matmul(X, W_xz) + torch.matmul(H, W_hz) + b_z)
        R = torch.sigmoid(torch.matmul(X, W_xr) + torch.matmul(H, W_hr) + b_r)
'''
_LSTM_HEAD = '''
def lstm(inputs, state, params):
    [W_xi, W_hi, b_i, W_xf, W_hf, b_f, W_xo, W_ho, b_o, W_xc, W_hc, b_c, W_hq, b_q] = params
    (H, C) = state
    outputs = []
    for X in inputs:
        I = torch.sigmoid(torch.matmul(X, W_xi) + torch.matmul(H, W_hi) + b_i)
        F = torch.sigmoid(torch.matmul(X, W_xf) + torch.matmul(H, W_hf) + b_f)
        O = torch.sigmoid(torch.matmul(X, W_xo) + torch.matmul(H, W_ho) + b_o)
'''

MISTAKES = [
    Mistake(name="gru-z-swapped", function="gru", key="gru.z_swapped", code=_GRU_HEAD + '''\
        H_tilda = torch.tanh(torch.matmul(X, W_xh) + torch.matmul(R * H, W_hh) + b_h)
        H = (1 - Z) * H + Z * H_tilda
        Y = torch.matmul(H, W_hq) + b_q
        outputs.append(Y)
    return outputs, (H,)
'''),
    Mistake(name="gru-sigmoid-candidate", function="gru", key="gated.candidate_sigmoid",
            code=_GRU_HEAD + '''\
        H_tilda = torch.sigmoid(torch.matmul(X, W_xh) + R * torch.matmul(H, W_hh) + b_h)
        H = Z * H + (1 - Z) * H_tilda
        Y = torch.matmul(H, W_hq) + b_q
        outputs.append(Y)
    return outputs, (H,)
'''),
    Mistake(name="gru-stale-state", function="gru", key="gated.stale_state",
            code=_GRU_HEAD + '''\
        H_tilda = torch.tanh(torch.matmul(X, W_xh) + torch.matmul(R * H, W_hh) + b_h)
        H_new = Z * H + (1 - Z) * H_tilda
        Y = torch.matmul(H_new, W_hq) + b_q
        outputs.append(Y)
    return outputs, (H_new,)
'''),
    Mistake(name="gru-gates-from-initial-state", function="gru", key="gated.stale_state",
            code='''
def gru(inputs, state, params):
    W_xz, W_hz, b_z, W_xr, W_hr, b_r, W_xh, W_hh, b_h, W_hq, b_q = params
    H, = state
    outputs = []
    for X in inputs:
        Z = torch.sigmoid(torch.matmul(X, W_xz) + torch.matmul(state[0], W_hz) + b_z)
        R = torch.sigmoid(torch.matmul(X, W_xr) + torch.matmul(state[0], W_hr) + b_r)
        H_tilda = torch.tanh(torch.matmul(X, W_xh) + torch.matmul(R * state[0], W_hh) + b_h)
        H = Z * H + (1 - Z) * H_tilda
        Y = torch.matmul(H, W_hq) + b_q
        outputs.append(Y)
    return outputs, (H,)
'''),
    Mistake(name="gru-state-not-unpacked", function="gru", key="gated.state_unpacked",
            code='''
def gru(inputs, state, params):
    W_xz, W_hz, b_z, W_xr, W_hr, b_r, W_xh, W_hh, b_h, W_hq, b_q = params
    H = state
    outputs = []
    for X in inputs:
        Z = torch.sigmoid(torch.matmul(X, W_xz) + torch.matmul(H, W_hz) + b_z)
        R = torch.sigmoid(torch.matmul(X, W_xr) + torch.matmul(H, W_hr) + b_r)
        H_tilda = torch.tanh(torch.matmul(X, W_xh) + torch.matmul(R * H, W_hh) + b_h)
        H = Z * H + (1 - Z) * H_tilda
        Y = torch.matmul(H, W_hq) + b_q
        outputs.append(Y)
    return outputs, (H,)
'''),
    Mistake(name="gru-params-order", function="gru", key="gated.gates_swapped", code='''
def gru(inputs, state, params):
    W_xr, W_hr, b_r, W_xz, W_hz, b_z, W_xh, W_hh, b_h, W_hq, b_q = params
    H, = state
    outputs = []
    for X in inputs:
        Z = torch.sigmoid(torch.matmul(X, W_xz) + torch.matmul(H, W_hz) + b_z)
        R = torch.sigmoid(torch.matmul(X, W_xr) + torch.matmul(H, W_hr) + b_r)
        H_tilda = torch.tanh(torch.matmul(X, W_xh) + torch.matmul(R * H, W_hh) + b_h)
        H = Z * H + (1 - Z) * H_tilda
        Y = torch.matmul(H, W_hq) + b_q
        outputs.append(Y)
    return outputs, (H,)
'''),
    Mistake(name="lstm-no-tanh", function="lstm", key="lstm.no_tanh_on_cell",
            code=_LSTM_HEAD + '''\
        C_tilda = torch.tanh(torch.matmul(X, W_xc) + torch.matmul(H, W_hc) + b_c)
        C = F * C + I * C_tilda
        H = O * C
        Y = torch.matmul(H, W_hq) + b_q
        outputs.append(Y)
    return outputs, (H, C)
'''),
    Mistake(name="lstm-sigmoid-candidate", function="lstm", key="gated.candidate_sigmoid",
            code=_LSTM_HEAD + '''\
        C_tilda = torch.sigmoid(torch.matmul(X, W_xc) + torch.matmul(H, W_hc) + b_c)
        C = F * C + I * C_tilda
        H = O * C.tanh()
        Y = torch.matmul(H, W_hq) + b_q
        outputs.append(Y)
    return outputs, (H, C)
'''),
    Mistake(name="lstm-no-cell", function="lstm", key="lstm.no_cell", code=_LSTM_HEAD + '''\
        C_tilda = torch.tanh(torch.matmul(X, W_xc) + torch.matmul(H, W_hc) + b_c)
        C = F * C + I * C_tilda
        H = O * C.tanh()
        Y = torch.matmul(H, W_hq) + b_q
        outputs.append(Y)
    return outputs, (H,)
'''),
    Mistake(name="lstm-stale-state", function="lstm", key="gated.stale_state", code='''
def lstm(inputs, state, params):
    [W_xi, W_hi, b_i, W_xf, W_hf, b_f, W_xo, W_ho, b_o, W_xc, W_hc, b_c, W_hq, b_q] = params
    (H, C) = state
    outputs = []
    for X in inputs:
        I = torch.sigmoid(torch.matmul(X, W_xi) + torch.matmul(state[0], W_hi) + b_i)
        F = torch.sigmoid(torch.matmul(X, W_xf) + torch.matmul(state[0], W_hf) + b_f)
        O = torch.sigmoid(torch.matmul(X, W_xo) + torch.matmul(state[0], W_ho) + b_o)
        C_tilda = torch.tanh(torch.matmul(X, W_xc) + torch.matmul(state[0], W_hc) + b_c)
        C = F * C + I * C_tilda
        H = O * C.tanh()
        Y = torch.matmul(H, W_hq) + b_q
        outputs.append(Y)
    return outputs, (H, C)
'''),
    Mistake(name="init-gru-state-not-tuple", function="init_gru_state",
            key="gated.init_not_tuple", code='''
def init_gru_state(batch_size, num_hiddens, device):
    return torch.zeros((batch_size, num_hiddens), device=device)
'''),
]

# The fields of course.gated_rnn.notes.
FORMULAS = {
    "z": r"$\mathbf{Z}_t$",
    "gru": r"$\mathbf{H}_t = \mathbf{Z}_t \odot \mathbf{H}_{t-1} + "
           r"(1 - \mathbf{Z}_t) \odot \tilde{\mathbf{H}}_t$",
    "cell": r"$\mathbf{C}_t = \mathbf{F}_t \odot \mathbf{C}_{t-1} + "
            r"\mathbf{I}_t \odot \tilde{\mathbf{C}}_t$",
    "hidden": r"$\mathbf{H}_t = \mathbf{O}_t \odot \tanh(\mathbf{C}_t)$",
}

# Shown under each function's contract.
FUNCTION_FORMULAS = {
    "gru": r"$\tilde{\mathbf{H}}_t = \tanh\left(\mathbf{X}_t \mathbf{W}_{xh} + "
           r"(\mathbf{R}_t \odot \mathbf{H}_{t-1}) \mathbf{W}_{hh} + \mathbf{b}_h\right)$, "
           r"$\mathbf{H}_t = \mathbf{Z}_t \odot \mathbf{H}_{t-1} + "
           r"(1 - \mathbf{Z}_t) \odot \tilde{\mathbf{H}}_t$",
    "lstm": r"$\mathbf{C}_t = \mathbf{F}_t \odot \mathbf{C}_{t-1} + "
            r"\mathbf{I}_t \odot \tilde{\mathbf{C}}_t$, "
            r"$\mathbf{H}_t = \mathbf{O}_t \odot \tanh(\mathbf{C}_t)$",
}
