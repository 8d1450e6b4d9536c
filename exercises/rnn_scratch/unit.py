"""rnn_scratch: its messages in English and Chinese, and what else the grader knows of it."""

from autograder.registry import Mistake

MESSAGES = {
    # -- one_hot ----------------------------------------------------------------------
    "one_hot.int64": {
        "en": "one_hot returns int64 values, as torch.nn.functional.one_hot makes them: the "
              "RNN multiplies them with float32 weights, so convert them to the dtype asked "
              "for, `.to(dtype)` (here {dtype}).",
        "zh": "one_hot 返回的是 int64，与 torch.nn.functional.one_hot 的结果一样：RNN 要把"
              "它们与 float32 的权重相乘，所以请转换成要求的 dtype，`.to(dtype)`（这里是 "
              "{dtype}）。",
    },
    "one_hot.ignores_dtype": {
        "en": "one_hot ignores its dtype argument: asked for {dtype}, it returned float32. "
              "Create the result with `dtype=dtype`.",
        "zh": "one_hot 没有理会参数 dtype：要求的是 {dtype}，它却返回了 float32。"
              "请用 `dtype=dtype` 创建结果。",
    },
    "one_hot.float_indices": {
        "en": "one_hot cannot take float32 token indices{where}, which the book's samplers "
              "(d2lzh_pytorch) yield: turn them into int64 first, `x = x.long()`.",
        "zh": "one_hot 无法处理 float32 的词元下标{where}，而本书的采样器（d2lzh_pytorch）"
              "给出的正是 float32：请先把它们转成 int64，`x = x.long()`。",
    },
    # -- to_onehot --------------------------------------------------------------------
    "to_onehot.not_list": {
        "en": "to_onehot should return a list of {steps} tensors, one per time step, but it "
              "returned {actual}.",
        "zh": "to_onehot 应当返回由 {steps} 个张量组成的 list，每个时间步一个，"
              "但它返回了 {actual}。",
    },
    "to_onehot.over_batch": {
        "en": "to_onehot cuts X by sequence (row), giving {batch} matrices of shape "
              "(num_steps, n_class): the RNN reads time step t of every sequence at once, so "
              "cut by column, `[one_hot(X[:, t], n_class) for t in range(X.shape[1])]` "
              "({steps} matrices of shape (batch_size, n_class)).",
        "zh": "to_onehot 按序列（行）切分 X，得到 {batch} 个形状为 (num_steps, n_class) 的矩阵："
              "RNN 每次同时读取所有序列的第 t 个时间步，所以要按列切分，"
              "`[one_hot(X[:, t], n_class) for t in range(X.shape[1])]`"
              "（{steps} 个形状为 (batch_size, n_class) 的矩阵）。",
    },
    "to_onehot.count": {
        "en": "to_onehot returned {actual} matrices for {steps} time steps: one per time step "
              "(column of X).",
        "zh": "对 {steps} 个时间步，to_onehot 返回了 {actual} 个矩阵：应当每个时间步"
              "（X 的每一列）一个。",
    },
    # -- init_rnn_state ---------------------------------------------------------------
    "init_rnn_state.not_tuple": {
        "en": "init_rnn_state returned {actual}, not a tuple: return `(H,)`. Mind the comma: "
              "`(torch.zeros(...))` is just the tensor, and rnn unpacks the state with "
              "`H, = state`.",
        "zh": "init_rnn_state 返回了 {actual}，而不是 tuple：请返回 `(H,)`。注意逗号："
              "`(torch.zeros(...))` 只是张量本身，而 rnn 用 `H, = state` 拆开状态。",
    },
    "init_rnn_state.length": {
        "en": "init_rnn_state returned {actual}: the plain RNN's state holds one tensor, "
              "`(H,)`.",
        "zh": "init_rnn_state 返回了 {actual}：普通 RNN 的状态只含一个张量，`(H,)`。",
    },
    # -- rnn --------------------------------------------------------------------------
    "rnn.not_pair": {
        "en": "rnn should return the pair `(outputs, (H,))`, but it returned {actual}.",
        "zh": "rnn 应当返回二元组 `(outputs, (H,))`，但它返回了 {actual}。",
    },
    "rnn.outputs_not_list": {
        "en": "The outputs of rnn should be a list of {steps} tensors, one per time step, but "
              "they are {actual}.",
        "zh": "rnn 的 outputs 应当是由 {steps} 个张量组成的 list，每个时间步一个，"
              "但它是 {actual}。",
    },
    "rnn.state_not_tuple": {
        "en": "rnn returns its state as {actual}: return it as the tuple `(H,)`, as it came "
              "(`return outputs, (H,)`), so that the next call can unpack it.",
        "zh": "rnn 返回的状态是 {actual}：请像传入时一样以 tuple `(H,)` 返回"
              "（`return outputs, (H,)`），下一次调用才能拆开它。",
    },
    "rnn.relu": {
        "en": "rnn uses relu for the hidden state: the book's RNN uses tanh, "
              "`H = torch.tanh(X @ W_xh + H @ W_hh + b_h)`.",
        "zh": "rnn 的隐状态用了 relu：本书的 RNN 用的是 tanh，"
              "`H = torch.tanh(X @ W_xh + H @ W_hh + b_h)`。",
    },
    "rnn.state_not_carried": {
        "en": "rnn computes every time step from the state it was given, not from the step "
              "before: the new hidden state must replace H, `H = torch.tanh(... + H @ W_hh "
              "+ ...)`, so that the next step reads it.",
        "zh": "rnn 的每个时间步都用传入的初始状态计算，而不是用上一步的状态：新的隐状态必须"
              "替换 H，`H = torch.tanh(... + H @ W_hh + ...)`，下一步才会读到它。",
    },
    "rnn.y_from_old_h": {
        "en": "rnn computes each output from the hidden state before the step: update H first, "
              "then `Y = H @ W_hq + b_q` with the new H.",
        "zh": "rnn 用本步之前的隐状态计算每个输出：请先更新 H，再用新的 H 计算 "
              "`Y = H @ W_hq + b_q`。",
    },
    "rnn.final_state": {
        "en": "rnn returns the state it was given, not the hidden state after the last of the "
              "{steps} time steps: return the H the loop updated.",
        "zh": "rnn 返回的是传入的状态，而不是第 {steps} 个（最后一个）时间步之后的隐状态："
              "请返回循环中更新过的 H。",
    },
    "rnn.no_grad": {
        "en": "No gradient reaches {name} through the outputs of rnn: compute them with torch "
              "operations on the parameters and the state as given (no .detach(), .data, "
              "NumPy or torch.no_grad()).",
        "zh": "没有梯度经过 rnn 的 outputs 传到 {name}：请直接对传入的参数和状态做 torch 运算"
              "（不要用 .detach()、.data、NumPy 或 torch.no_grad()）。",
    },
    "rnn.what_grad": {"en": "The gradient of {name}", "zh": "{name} 的梯度"},
    # -- grad_clipping ----------------------------------------------------------------
    "grad_clipping.scaled_params": {
        "en": "grad_clipping changed the parameters: scale their gradients, "
              "`param.grad.data *= theta / norm`, and leave the parameters alone.",
        "zh": "grad_clipping 改变了参数本身：请缩放它们的梯度，"
              "`param.grad.data *= theta / norm`，不要改动参数。",
    },
    "grad_clipping.grad_removed": {
        "en": "After grad_clipping a parameter has no gradient (param.grad is None): scale "
              "the gradients, do not remove them.",
        "zh": "grad_clipping 之后有参数没有梯度了（param.grad 是 None）：请缩放梯度，"
              "不要删除它们。",
    },
    "grad_clipping.per_parameter": {
        "en": "grad_clipping clips each gradient by its own norm: use the global norm of all "
              "the gradients together, `norm = sqrt(sum of (param.grad ** 2).sum())`, and scale "
              "every gradient by the same theta / norm, which keeps the direction of the "
              "update.",
        "zh": "grad_clipping 用每个梯度自己的范数分别裁剪：请使用所有梯度合在一起的全局范数，"
              "`norm = sqrt(sum of (param.grad ** 2).sum())`，并把每个梯度都乘以同一个 "
              "theta / norm，这样更新的方向不变。",
    },
    "grad_clipping.no_sqrt": {
        "en": "grad_clipping uses the sum of the squared gradients as the norm: take its "
              "square root, `norm = norm.sqrt().item()`.",
        "zh": "grad_clipping 把梯度平方和当成了范数：请再开平方根，"
              "`norm = norm.sqrt().item()`。",
    },
    "grad_clipping.always": {
        "en": "grad_clipping scaled gradients whose norm ({norm:.3g}) is below theta "
              "({theta:g}), which makes them larger: clip only when `norm > theta`.",
        "zh": "梯度的范数（{norm:.3g}）小于 theta（{theta:g}），grad_clipping 却仍然缩放了"
              "梯度，反而把它们放大了：只在 `norm > theta` 时裁剪。",
    },
    "grad_clipping.unchanged": {
        "en": "grad_clipping left the gradients as they were, although their norm "
              "({norm:.3g}) is above theta ({theta:g}): scale each param.grad in place, "
              "`param.grad.data *= theta / norm` (`g = g * c` on a copy changes nothing for "
              "the caller).",
        "zh": "梯度的范数（{norm:.3g}）大于 theta（{theta:g}），grad_clipping 却没有改变梯度："
              "请原地缩放每个 param.grad，`param.grad.data *= theta / norm`"
              "（对副本做 `g = g * c` 不会影响调用者）。",
    },
    # -- predict_rnn ------------------------------------------------------------------
    "predict_rnn.not_str": {
        "en": "predict_rnn should return the text as a str, but it returned {actual}: join "
              "the characters, `''.join([idx_to_char[i] for i in output])`.",
        "zh": "predict_rnn 应当以 str 返回文本，但它返回了 {actual}：请把字符拼接起来，"
              "`''.join([idx_to_char[i] for i in output])`。",
    },
    "predict_rnn.prefix_not_fed": {
        "en": "predict_rnn does not read the prefix '{prefix}' one character per time step "
              "before it writes (the RNN read '{read}'): start from prefix[0] and, while "
              "`t < len(prefix) - 1`, feed prefix[t + 1], so that the state has seen the "
              "whole prefix.",
        "zh": "predict_rnn 在开始写之前没有逐个时间步读入前缀 '{prefix}'（RNN 读到的是 "
              "'{read}'）：请从 prefix[0] 开始，在 `t < len(prefix) - 1` 时输入 prefix[t + 1]，"
              "让状态看过整个前缀。",
    },
    "predict_rnn.prefix_as_predictions": {
        "en": "While reading the prefix '{prefix}', predict_rnn feeds the RNN its own "
              "predictions instead of the prefix's characters: while `t < len(prefix) - 1`, "
              "append `char_to_idx[prefix[t + 1]]`, and only then the argmax.",
        "zh": "读取前缀 '{prefix}' 时，predict_rnn 把 RNN 自己的预测而不是前缀中的字符作为"
              "输入：在 `t < len(prefix) - 1` 时追加 `char_to_idx[prefix[t + 1]]`，"
              "之后才追加 argmax。",
    },
    "predict_rnn.state_not_carried": {
        "en": "predict_rnn does not pass the state that rnn returned to the next call (call "
              "{call} got another one): keep it, `(Y, state) = rnn(X, state, params)`, and "
              "call init_rnn_state once, before the loop.",
        "zh": "predict_rnn 没有把 rnn 返回的状态传给下一次调用（第 {call} 次调用拿到的是别的"
              "状态）：请保存它，`(Y, state) = rnn(X, state, params)`，并且只在循环之前调用"
              "一次 init_rnn_state。",
    },
    "predict_rnn.drops_prefix": {
        "en": "predict_rnn returns only the characters it wrote: the text should start with "
              "the prefix '{prefix}', followed by them.",
        "zh": "predict_rnn 只返回了它写出的字符：文本应当以前缀 '{prefix}' 开头，后面才是这些"
              "字符。",
    },
    "predict_rnn.repeats_prefix": {
        "en": "predict_rnn writes the prefix '{prefix}' twice: it belongs once at the start "
              "of the text, followed by the num_chars characters written.",
        "zh": "predict_rnn 把前缀 '{prefix}' 写了两遍：它只应在文本开头出现一次，后面接写出的 "
              "num_chars 个字符。",
    },
    "predict_rnn.length": {
        "en": "predict_rnn returned {actual} characters, not {expected}: the prefix "
              "({prefix}) and the num_chars ({num_chars}) written. Loop "
              "`range(num_chars + len(prefix) - 1)` times.",
        "zh": "predict_rnn 返回了 {actual} 个字符，而不是 {expected} 个：前缀（{prefix} 个）"
              "加上写出的 num_chars（{num_chars} 个）。循环次数是 "
              "`range(num_chars + len(prefix) - 1)`。",
    },
    "predict_rnn.not_fed_back": {
        "en": "predict_rnn does not feed each character it wrote back in (from position "
              "{position}): the next input is the last character of the output, "
              "`output[-1]`.",
        "zh": "predict_rnn 没有把写出的每个字符再作为输入（从第 {position} 个位置起）："
              "下一步的输入是输出中的最后一个字符，`output[-1]`。",
    },
    "predict_rnn.not_argmax": {
        "en": "The characters predict_rnn writes are not the RNN's best guesses: take the "
              "index of the largest score of the last output, "
              "`int(Y[0].argmax(dim=1).item())`.",
        "zh": "predict_rnn 写出的字符不是 RNN 的最佳猜测：请取最后一个输出中得分最大者的下标，"
              "`int(Y[0].argmax(dim=1).item())`。",
    },
    "predict_rnn.argmax_item": {
        "en": "predict_rnn calls .item() on a tensor of several values{where}: Y[0] has shape "
              "(1, vocab_size), so take the argmax over dim=1, "
              "`int(Y[0].argmax(dim=1).item())`.",
        "zh": "predict_rnn 对含多个值的张量调用了 .item(){where}：Y[0] 的形状是 "
              "(1, vocab_size)，请沿 dim=1 取 argmax，`int(Y[0].argmax(dim=1).item())`。",
    },
    "predict_rnn.wrong_text": {
        "en": "predict_rnn wrote '{actual}' from the prefix '{prefix}' and num_chars = "
              "{num_chars}; with the book's rnn the text is '{expected}'.",
        "zh": "从前缀 '{prefix}' 出发、num_chars = {num_chars} 时，predict_rnn 写出的是 "
              "'{actual}'；用本书的 rnn 应得到 '{expected}'。",
    },
    "predict_rnn.what_input": {"en": "An input that predict_rnn gave rnn",
                               "zh": "predict_rnn 传给 rnn 的输入"},
    # -- the tests' names ---------------------------------------------------------------
    "test.rnn_scratch.test_one_hot_values": {
        "en": "one_hot puts a single 1 in column x[i] of row i",
        "zh": "one_hot 在第 i 行的第 x[i] 列放一个 1，其余为 0",
    },
    "test.rnn_scratch.test_one_hot_dtype_and_float_indices": {
        "en": "one_hot takes float32 token indices, as the book's samplers make them, and "
              "honours dtype",
        "zh": "one_hot 接受本书采样器给出的 float32 词元下标，并遵从 dtype",
    },
    "test.rnn_scratch.test_one_hot_device": {
        "en": "one_hot keeps its right result on x's device",
        "zh": "one_hot 把正确的结果留在 x 所在的设备上",
    },
    "test.rnn_scratch.test_to_onehot_values": {
        "en": "to_onehot gives one (batch_size, n_class) one-hot matrix per time step",
        "zh": "to_onehot 为每个时间步给出一个 (batch_size, n_class) 的独热矩阵",
    },
    "test.rnn_scratch.test_to_onehot_device": {
        "en": "to_onehot keeps its right matrices on X's device",
        "zh": "to_onehot 把正确的矩阵留在 X 所在的设备上",
    },
    "test.rnn_scratch.test_init_rnn_state_values": {
        "en": "init_rnn_state returns the tuple (H,) with H zeros of shape "
              "(batch_size, num_hiddens)",
        "zh": "init_rnn_state 返回 tuple (H,)，H 是形状为 (batch_size, num_hiddens) 的零张量",
    },
    "test.rnn_scratch.test_init_rnn_state_device": {
        "en": "init_rnn_state puts the right state on the device it is given",
        "zh": "init_rnn_state 把正确的状态放在给定的设备上",
    },
    "test.rnn_scratch.test_rnn_values": {
        "en": "rnn computes H = tanh(X W_xh + H W_hh + b_h), then Y = H W_hq + b_q, at every "
              "step",
        "zh": "rnn 在每个时间步先计算 `H = tanh(X W_xh + H W_hh + b_h)`，再计算 "
              "`Y = H W_hq + b_q`",
    },
    "test.rnn_scratch.test_rnn_gradient": {
        "en": "rnn lets gradients flow from its outputs to every parameter and to the state "
              "given",
        "zh": "梯度能从 rnn 的输出传到每个参数和传入的状态",
    },
    "test.rnn_scratch.test_rnn_device": {
        "en": "rnn keeps its right outputs and state on the parameters' device",
        "zh": "rnn 把正确的输出和状态留在参数所在的设备上",
    },
    "test.rnn_scratch.test_grad_clipping_above_theta": {
        "en": "grad_clipping scales every gradient by theta / norm, with the global norm of "
              "all of them",
        "zh": "grad_clipping 用所有梯度的全局范数，把每个梯度都乘以 theta / norm",
    },
    "test.rnn_scratch.test_grad_clipping_below_theta": {
        "en": "grad_clipping leaves the gradients alone when their global norm is at most theta",
        "zh": "全局范数不超过 theta 时，grad_clipping 不改变梯度",
    },
    "test.rnn_scratch.test_grad_clipping_device": {
        "en": "grad_clipping keeps the right gradients on the parameters' device",
        "zh": "grad_clipping 把正确的梯度留在参数所在的设备上",
    },
    "test.rnn_scratch.test_predict_rnn_with_the_books_rnn": {
        "en": "predict_rnn reads the prefix, then writes each best guess and feeds it back in",
        "zh": "predict_rnn 先读入前缀，再写出每个最佳猜测并把它作为下一步的输入",
    },
    "test.rnn_scratch.test_predict_rnn_with_its_own_rnn": {
        "en": "predict_rnn drives the learner's own rnn and init_rnn_state the same way",
        "zh": "predict_rnn 以同样的方式驱动学习者自己的 rnn 和 init_rnn_state",
    },
    "test.rnn_scratch.test_predict_rnn_device": {
        "en": "predict_rnn gives rnn its inputs on the device it is given",
        "zh": "predict_rnn 把传给 rnn 的输入放在给定的设备上",
    },
    # -- the feedback page's pictures -----------------------------------------------------
    "feedback.rnn_scratch.heading": {
        "en": "An RNN from scratch: training, prediction and clipping",
        "zh": "从零开始实现的 RNN：训练、预测和梯度裁剪",
    },
    "feedback.rnn_scratch.intro": {
        "en": "Your rnn, trained as the book's train_and_predict_rnn does with consecutive "
              "sampling, for {epochs} epochs ({updates} updates) on the opening of H. G. "
              "Wells's The Time Machine ({characters} characters, a vocabulary of "
              "{vocab_size}), with num_hiddens = {num_hiddens}, lr = {lr:g} and every "
              "gradient clipped to a norm of theta = {theta:g}, with your to_onehot, "
              "init_rnn_state and grad_clipping. The curve is the perplexity of each "
              "minibatch, on a logarithmic scale; the grey line is the vocabulary size, the "
              "perplexity of a uniform guess. A curve that stays there or climbs is an RNN "
              "that does not learn.",
        "zh": "用书中 train_and_predict_rnn 的方式（相邻采样）训练你的 rnn：在赫伯特·乔治·"
              "威尔斯《时间机器》的开头（{characters} 个字符，词表大小 {vocab_size}）上训练 "
              "{epochs} 个轮次（{updates} 次更新），num_hiddens = {num_hiddens}，"
              "lr = {lr:g}，每次都把梯度裁剪到范数 theta = {theta:g}，并使用你的 "
              "to_onehot、init_rnn_state 和 grad_clipping。曲线是每个小批量的困惑度，纵轴为"
              "对数刻度；灰线是词表大小，即均匀猜测的困惑度。曲线停在那里或上升，说明 RNN "
              "没有在学习。",
    },
    "feedback.rnn_scratch.trusted": {
        "en": "{functions} failed a test, so the training uses the book's version instead: "
              "it shows your rnn alone.",
        "zh": "{functions} 没有通过测试，因此训练改用书中的版本：它只反映你的 rnn。",
    },
    "feedback.rnn_scratch.text_yours": {
        "en": "What your predict_rnn writes after '{prefix}' with the trained RNN:",
        "zh": "训练后，你的 predict_rnn 在 '{prefix}' 之后写出的文本：",
    },
    "feedback.rnn_scratch.text_book": {
        "en": "What the book's writes with the book's RNN:",
        "zh": "书中的函数用书中的 RNN 写出的文本：",
    },
    "feedback.rnn_scratch.no_text": {
        "en": "predict_rnn did not return a str, so no text is shown.",
        "zh": "predict_rnn 没有返回 str，因此这里不显示文本。",
    },
    "feedback.rnn_scratch.clipping": {
        "en": "Your grad_clipping, handed gradients of global norms from 0.1 to 10 with "
              "theta = {theta:g}: the global norm after clipping over the norm before, on "
              "logarithmic axes. The book's is the norm itself up to theta, then theta: the "
              "direction is kept and only the length is cut.",
        "zh": "把全局范数从 0.1 到 10 的梯度交给你的 grad_clipping（theta = {theta:g}）："
              "图中是裁剪后的全局范数随裁剪前范数的变化，两轴均为对数刻度。书中的结果在 theta "
              "以下等于原范数，之后等于 theta：方向不变，只截短长度。",
    },
    # -- the notebook -------------------------------------------------------------------
    "course.rnn_scratch.notes": {
        "en": "At each time step the RNN reads one token, as a one-hot vector {x}, and updates "
              "its hidden state from it and from the state of the step before,\n{h}\nthen "
              "scores the next token from the new state,\n{o}\nThe same parameters serve "
              "every step. Backpropagation through many steps multiplies many Jacobians, so "
              "the gradients can explode: clipping scales them all by one factor when their "
              "global norm passes {theta},\n{clip}",
        "zh": "RNN 在每个时间步读入一个词元（独热向量 {x}），用它和上一步的状态更新隐状态，\n"
              "{h}\n再由新的状态给下一个词元打分，\n{o}\n每个时间步共用同一组参数。"
              "经过许多时间步的反向传播要连乘许多雅可比矩阵，梯度可能爆炸：梯度裁剪在全局范数"
              "超过 {theta} 时把所有梯度乘以同一个系数，\n{clip}",
    },
    "course.rnn_scratch.intro": {
        "en": "(the docstring of the module in assignments/rnn_scratch.py)",
        "zh": """\
从零开始实现循环神经网络：独热输入、RNN、梯度裁剪和预测。

《动手学深度学习》“循环神经网络”一章的“循环神经网络的从零开始实现”一节（学习小组所用\
中文版的 6.4 节，你要实现的就是其中 d2lzh_pytorch 的函数签名）。字符级语言模型在每个\
时间步读入一个词元：每个词元先变成一个独热向量，隐状态 H 把已经读到的内容从一个时间步\
带到下一个时间步，输出层再把 H 变成词表上的得分。穿过许多时间步的梯度可能爆炸，所以每次\
更新前都要裁剪；训练好的模型写文本时，把自己的最佳猜测逐个字符地再作为输入。

参数按本书的顺序给出，params = [W_xh, W_hh, b_h, W_hq, b_q]，形状分别是 \
(vocab_size, num_hiddens)、(num_hiddens, num_hiddens)、(num_hiddens,)、\
(num_hiddens, vocab_size) 和 (vocab_size,)。这里用不到课程的语料（周杰伦的歌词）：\
检查使用由字母组成的小词表和随机抽取的参数。""",
    },
    "course.rnn_scratch.one_hot.doc": {
        "en": "(the docstring of one_hot in assignments/rnn_scratch.py)",
        "zh": """\
词元下标向量的独热行。

第 i 行除第 x[i] 列为 1 外全为 0。词元下标只是一个名字：独热向量让每个词元与其他任何\
词元的距离都相同，这样网络学到的是每个词元的含义，而不会从下标的大小中读出含义。

参数：
    x: 一维张量，取值在 [0, n_class) 内的词元下标，int64，或本书的采样器\
（d2lzh_pytorch）给出的 float32；任意设备。
    n_class: 类别数（词表大小）。
    dtype: 结果的 dtype（默认 float32）。

返回：
    形状为 (len(x), n_class)、dtype 为 `dtype` 的张量，位于 x 所在的设备上。\
不修改 x。""",
    },
    "course.rnn_scratch.to_onehot.doc": {
        "en": "(the docstring of to_onehot in assignments/rnn_scratch.py)",
        "zh": """\
把一个小批量的词元下标变成每个时间步一个独热矩阵。

RNN 每次同时读取小批量中所有序列的第 t 个时间步，所以输入要按时间步（列）切分，\
而不是按序列（行）切分。

参数：
    X: 形状为 (batch_size, num_steps) 的词元下标张量，int64 或 float32，任意设备。
    n_class: 类别数（词表大小）。

返回：
    由 num_steps 个形状为 (batch_size, n_class) 的 float32 张量组成的 list，位于 X \
所在的设备上：第 t 个元素是 one_hot(X[:, t], n_class)。""",
    },
    "course.rnn_scratch.init_rnn_state.doc": {
        "en": "(the docstring of init_rnn_state in assignments/rnn_scratch.py)",
        "zh": """\
第一个时间步之前 RNN 的隐状态：全零。

状态是一个 tuple，这样同一份训练代码也能用于状态由多部分组成的模型（长短期记忆网络 `LSTM` 的 (H, C)）；\
普通 RNN 的状态只有一部分。

参数：
    batch_size: 并行读取的序列数。
    num_hiddens: 隐藏单元数。
    device: 状态所在的设备（即参数所在的设备）。

返回：
    tuple (H,)，其中 H 是位于 `device` 上、形状为 (batch_size, num_hiddens) 的 float32 \
零张量。""",
    },
    "course.rnn_scratch.rnn.doc": {
        "en": "(the docstring of rnn in assignments/rnn_scratch.py)",
        "zh": """\
让 RNN 依次处理一个小批量的各个时间步。

在每个时间步 t，新的隐状态由输入和上一步的状态算出，输出再由新的状态算出：\
H = tanh(X_t @ W_xh + H @ W_hh + b_h)，然后 Y_t = H @ W_hq + b_q。每个时间步共用同一组\
参数，H 把已经读到的内容从一个时间步带到下一个时间步。

参数：
    inputs: 由 num_steps 个形状为 (batch_size, vocab_size) 的张量组成的 list\
（即 to_onehot 的返回值）。
    state: tuple (H,)，H 的形状为 (batch_size, num_hiddens)。
    params: [W_xh, W_hh, b_h, W_hq, b_q]（见模块的文档字符串）。

返回：
    (outputs, (H,))：outputs 是由 num_steps 个形状为 (batch_size, vocab_size) 的张量\
组成的 list，每个时间步一个；H 是最后一个时间步之后的隐状态，像传入时一样放在 tuple 中。\
自动求导必须能从它们传到参数和传入的状态。不原地修改任何东西。""",
    },
    "course.rnn_scratch.grad_clipping.doc": {
        "en": "(the docstring of grad_clipping in assignments/rnn_scratch.py)",
        "zh": """\
把所有参数的梯度合在一起裁剪，使其范数不超过 theta。

范数是全局范数，对所有梯度一起计算：\
`norm = sqrt(sum over params of (param.grad ** 2).sum())`。在 norm > theta 时，每个梯度都\
乘以 theta / norm，这样整个更新的方向不变，长度缩短为 theta；否则不改变梯度。\
用每个参数自己的范数分别裁剪会改变方向。

参数：
    params: 其 .grad 已由 backward() 填好的张量。
    theta: 允许的最大范数（正的 float）。
    device: 参数所在的设备。

返回：
    None。每个 param.grad 被原地缩放（像本书那样写 param.grad.data *= ...；\
给 param.grad 赋一个缩放后的张量也可以）。参数本身不变。""",
    },
    "course.rnn_scratch.predict_rnn.doc": {
        "en": "(the docstring of predict_rnn in assignments/rnn_scratch.py)",
        "zh": """\
在 prefix 之后写出 num_chars 个字符，把每个猜测再作为输入。

从 init_rnn_state(1, num_hiddens, device) 开始，每次调用 rnn 读入前缀的一个字符，\
并把状态从一次调用带到下一次；前缀还没读完时，下一个输入是前缀的下一个字符（预热：\
忽略预测）。读完前缀后，下一个输入是模型的最佳猜测，即最后一个输出的 argmax。\
每个输入是 `device` 上字符下标组成的 (1, 1) 张量经过 to_onehot 的结果。

参数：
    prefix: 起始文本（至少一个字符，都在词表中）。
    num_chars: 在前缀之后要写出的字符数。
    rnn: 与上面的 rnn 类似的函数，以 rnn(inputs, state, params) 调用。
    params: 模型的参数，原样传给 rnn。
    init_rnn_state: 与上面的 init_rnn_state 类似的函数。
    num_hiddens: 隐藏单元数。
    vocab_size: 词表大小。
    device: params 所在的设备（也是输入要放的设备）。
    idx_to_char: 词表，下标 -> 字符。
    char_to_idx: 词表，字符 -> 下标。

返回：
    一个 str：prefix 后接写出的 num_chars 个字符，共 len(prefix) + num_chars 个字符。\
在一次 rnn 调用中把前缀作为一个序列读入也可以。""",
    },
}

# A fragment of the error text that a classic mistake raises, and its diagnosis.
KNOWN_ERRORS = [
    ("one_hot", "one_hot is only applicable to index tensor", "one_hot.float_indices"),
    ("one_hot", "Expected dtype int32/int64 for index", "one_hot.float_indices"),
    ("one_hot", "Expected dtype int64 for index", "one_hot.float_indices"),
    ("predict_rnn", "elements cannot be converted to Scalar", "predict_rnn.argmax_item"),
]

FORMULAS = {
    "x": r"$\mathbf{X}_t$",
    "h": r"$$\mathbf{H}_t = \tanh(\mathbf{X}_t \mathbf{W}_{xh} + \mathbf{H}_{t-1} "
         r"\mathbf{W}_{hh} + \mathbf{b}_h),$$",
    "o": r"$$\mathbf{O}_t = \mathbf{H}_t \mathbf{W}_{hq} + \mathbf{b}_q.$$",
    "theta": r"$\theta$",
    "clip": r"$$\mathbf{g} \leftarrow \min\left(\frac{\theta}{\|\mathbf{g}\|}, 1\right)"
            r"\mathbf{g}.$$",
}
FUNCTION_FORMULAS = {
    "rnn": r"$\mathbf{H}_t = \tanh(\mathbf{X}_t \mathbf{W}_{xh} + \mathbf{H}_{t-1} "
           r"\mathbf{W}_{hh} + \mathbf{b}_h)$, $\mathbf{O}_t = \mathbf{H}_t \mathbf{W}_{hq} "
           r"+ \mathbf{b}_q$",
    "grad_clipping": r"$\mathbf{g} \leftarrow \min\left(\frac{\theta}{\|\mathbf{g}\|}, 1\right)"
                     r"\mathbf{g}$",
}

# Classic mistakes: the reference with one function replaced, and the diagnosis each gets.
MISTAKES = [
    Mistake(name="one_hot-int64", function="one_hot", key="one_hot.int64", code='''
def one_hot(x, n_class, dtype=torch.float32):
    return torch.nn.functional.one_hot(x.long(), n_class)
'''),
    Mistake(name="one_hot-float-indices", function="one_hot", key="one_hot.float_indices",
            code='''
def one_hot(x, n_class, dtype=torch.float32):
    return torch.nn.functional.one_hot(x, n_class).to(dtype)
'''),
    Mistake(name="to_onehot-over-batch", function="to_onehot", key="to_onehot.over_batch",
            code='''
def to_onehot(X, n_class):
    return [one_hot(X[i, :], n_class) for i in range(X.shape[0])]
'''),
    Mistake(name="init_rnn_state-not-tuple", function="init_rnn_state",
            key="init_rnn_state.not_tuple", code='''
def init_rnn_state(batch_size, num_hiddens, device):
    return (torch.zeros((batch_size, num_hiddens), device=device))
'''),
    Mistake(name="rnn-state-not-tuple", function="rnn", key="rnn.state_not_tuple", code='''
def rnn(inputs, state, params):
    W_xh, W_hh, b_h, W_hq, b_q = params
    H, = state
    outputs = []
    for X in inputs:
        H = torch.tanh(torch.matmul(X, W_xh) + torch.matmul(H, W_hh) + b_h)
        outputs.append(torch.matmul(H, W_hq) + b_q)
    return outputs, H
'''),
    Mistake(name="rnn-state-not-carried", function="rnn", key="rnn.state_not_carried", code='''
def rnn(inputs, state, params):
    W_xh, W_hh, b_h, W_hq, b_q = params
    H, = state
    outputs = []
    for X in inputs:
        H_t = torch.tanh(torch.matmul(X, W_xh) + torch.matmul(H, W_hh) + b_h)
        outputs.append(torch.matmul(H_t, W_hq) + b_q)
    return outputs, (H_t,)
'''),
    Mistake(name="rnn-relu", function="rnn", key="rnn.relu", code='''
def rnn(inputs, state, params):
    W_xh, W_hh, b_h, W_hq, b_q = params
    H, = state
    outputs = []
    for X in inputs:
        H = torch.relu(torch.matmul(X, W_xh) + torch.matmul(H, W_hh) + b_h)
        outputs.append(torch.matmul(H, W_hq) + b_q)
    return outputs, (H,)
'''),
    Mistake(name="rnn-y-from-old-h", function="rnn", key="rnn.y_from_old_h", code='''
def rnn(inputs, state, params):
    W_xh, W_hh, b_h, W_hq, b_q = params
    H, = state
    outputs = []
    for X in inputs:
        Y = torch.matmul(H, W_hq) + b_q
        H = torch.tanh(torch.matmul(X, W_xh) + torch.matmul(H, W_hh) + b_h)
        outputs.append(Y)
    return outputs, (H,)
'''),
    Mistake(name="grad_clipping-per-parameter", function="grad_clipping",
            key="grad_clipping.per_parameter", code='''
def grad_clipping(params, theta, device):
    for param in params:
        norm = param.grad.data.norm().item()
        if norm > theta:
            param.grad.data *= theta / norm
'''),
    Mistake(name="grad_clipping-always", function="grad_clipping", key="grad_clipping.always",
            code='''
def grad_clipping(params, theta, device):
    norm = torch.tensor([0.0], device=device)
    for param in params:
        norm += (param.grad.data ** 2).sum()
    norm = norm.sqrt().item()
    for param in params:
        param.grad.data *= theta / norm
'''),
    Mistake(name="grad_clipping-no-sqrt", function="grad_clipping", key="grad_clipping.no_sqrt",
            code='''
def grad_clipping(params, theta, device):
    norm = torch.tensor([0.0], device=device)
    for param in params:
        norm += (param.grad.data ** 2).sum()
    norm = norm.item()
    if norm > theta:
        for param in params:
            param.grad.data *= theta / norm
'''),
    Mistake(name="grad_clipping-scales-params", function="grad_clipping",
            key="grad_clipping.scaled_params", code='''
def grad_clipping(params, theta, device):
    norm = torch.tensor([0.0], device=device)
    for param in params:
        norm += (param.grad.data ** 2).sum()
    norm = norm.sqrt().item()
    if norm > theta:
        for param in params:
            param.data *= theta / norm
'''),
    Mistake(name="predict_rnn-prefix-not-fed", function="predict_rnn",
            key="predict_rnn.prefix_not_fed", code='''
def predict_rnn(prefix, num_chars, rnn, params, init_rnn_state,
                num_hiddens, vocab_size, device, idx_to_char, char_to_idx):
    state = init_rnn_state(1, num_hiddens, device)
    output = [char_to_idx[c] for c in prefix]
    for t in range(num_chars):
        X = to_onehot(torch.tensor([[output[-1]]], device=device), vocab_size)
        (Y, state) = rnn(X, state, params)
        output.append(int(Y[0].argmax(dim=1).item()))
    return ''.join([idx_to_char[i] for i in output])
'''),
    Mistake(name="predict_rnn-prefix-as-predictions", function="predict_rnn",
            key="predict_rnn.prefix_as_predictions", code='''
def predict_rnn(prefix, num_chars, rnn, params, init_rnn_state,
                num_hiddens, vocab_size, device, idx_to_char, char_to_idx):
    state = init_rnn_state(1, num_hiddens, device)
    output = [char_to_idx[prefix[0]]]
    for t in range(num_chars + len(prefix) - 1):
        X = to_onehot(torch.tensor([[output[-1]]], device=device), vocab_size)
        (Y, state) = rnn(X, state, params)
        output.append(int(Y[0].argmax(dim=1).item()))
    return ''.join([idx_to_char[i] for i in output])
'''),
    Mistake(name="predict_rnn-drops-prefix", function="predict_rnn",
            key="predict_rnn.drops_prefix", code='''
def predict_rnn(prefix, num_chars, rnn, params, init_rnn_state,
                num_hiddens, vocab_size, device, idx_to_char, char_to_idx):
    state = init_rnn_state(1, num_hiddens, device)
    output = [char_to_idx[prefix[0]]]
    for t in range(num_chars + len(prefix) - 1):
        X = to_onehot(torch.tensor([[output[-1]]], device=device), vocab_size)
        (Y, state) = rnn(X, state, params)
        if t < len(prefix) - 1:
            output.append(char_to_idx[prefix[t + 1]])
        else:
            output.append(int(Y[0].argmax(dim=1).item()))
    return ''.join([idx_to_char[i] for i in output[len(prefix):]])
'''),
    Mistake(name="predict_rnn-repeats-prefix", function="predict_rnn",
            key="predict_rnn.repeats_prefix", code='''
def predict_rnn(prefix, num_chars, rnn, params, init_rnn_state,
                num_hiddens, vocab_size, device, idx_to_char, char_to_idx):
    state = init_rnn_state(1, num_hiddens, device)
    output = [char_to_idx[prefix[0]]]
    for t in range(num_chars + len(prefix) - 1):
        X = to_onehot(torch.tensor([[output[-1]]], device=device), vocab_size)
        (Y, state) = rnn(X, state, params)
        if t < len(prefix) - 1:
            output.append(char_to_idx[prefix[t + 1]])
        else:
            output.append(int(Y[0].argmax(dim=1).item()))
    return prefix + ''.join([idx_to_char[i] for i in output[1:]])
'''),
    Mistake(name="predict_rnn-state-not-carried", function="predict_rnn",
            key="predict_rnn.state_not_carried", code='''
def predict_rnn(prefix, num_chars, rnn, params, init_rnn_state,
                num_hiddens, vocab_size, device, idx_to_char, char_to_idx):
    output = [char_to_idx[prefix[0]]]
    for t in range(num_chars + len(prefix) - 1):
        state = init_rnn_state(1, num_hiddens, device)
        X = to_onehot(torch.tensor([[output[-1]]], device=device), vocab_size)
        (Y, state) = rnn(X, state, params)
        if t < len(prefix) - 1:
            output.append(char_to_idx[prefix[t + 1]])
        else:
            output.append(int(Y[0].argmax(dim=1).item()))
    return ''.join([idx_to_char[i] for i in output])
'''),
    Mistake(name="rnn-final-state", function="rnn", key="rnn.final_state", code='''
def rnn(inputs, state, params):
    W_xh, W_hh, b_h, W_hq, b_q = params
    H0, = state
    H = H0
    outputs = []
    for X in inputs:
        H = torch.tanh(torch.matmul(X, W_xh) + torch.matmul(H, W_hh) + b_h)
        outputs.append(torch.matmul(H, W_hq) + b_q)
    return outputs, (H0,)
'''),
    Mistake(name="rnn-detached", function="rnn", key="rnn.no_grad", code='''
def rnn(inputs, state, params):
    W_xh, W_hh, b_h, W_hq, b_q = [p.detach() for p in params]
    H, = state
    outputs = []
    for X in inputs:
        H = torch.tanh(torch.matmul(X, W_xh) + torch.matmul(H, W_hh) + b_h)
        outputs.append(torch.matmul(H, W_hq) + b_q)
    return outputs, (H,)
'''),
    Mistake(name="grad_clipping-scales-a-copy", function="grad_clipping",
            key="grad_clipping.unchanged", code='''
def grad_clipping(params, theta, device):
    norm = torch.sqrt(sum((p.grad ** 2).sum() for p in params))
    if norm > theta:
        for p in params:
            g = p.grad
            g = g * (theta / norm)
'''),
    Mistake(name="predict_rnn-one-too-many", function="predict_rnn",
            key="predict_rnn.length", code='''
def predict_rnn(prefix, num_chars, rnn, params, init_rnn_state,
                num_hiddens, vocab_size, device, idx_to_char, char_to_idx):
    state = init_rnn_state(1, num_hiddens, device)
    output = [char_to_idx[prefix[0]]]
    for t in range(num_chars + len(prefix)):
        X = to_onehot(torch.tensor([[output[-1]]], device=device), vocab_size)
        (Y, state) = rnn(X, state, params)
        if t < len(prefix) - 1:
            output.append(char_to_idx[prefix[t + 1]])
        else:
            output.append(int(Y[0].argmax(dim=1).item()))
    return ''.join([idx_to_char[i] for i in output])
'''),
    Mistake(name="predict_rnn-argmax-over-dim-0", function="predict_rnn",
            key="predict_rnn.argmax_item", code='''
def predict_rnn(prefix, num_chars, rnn, params, init_rnn_state,
                num_hiddens, vocab_size, device, idx_to_char, char_to_idx):
    state = init_rnn_state(1, num_hiddens, device)
    output = [char_to_idx[prefix[0]]]
    for t in range(num_chars + len(prefix) - 1):
        X = to_onehot(torch.tensor([[output[-1]]], device=device), vocab_size)
        (Y, state) = rnn(X, state, params)
        if t < len(prefix) - 1:
            output.append(char_to_idx[prefix[t + 1]])
        else:
            output.append(int(Y[0].argmax(dim=0).item()))
    return ''.join([idx_to_char[i] for i in output])
'''),
    Mistake(name="to_onehot-stacked", function="to_onehot", key="to_onehot.not_list", code='''
def to_onehot(X, n_class):
    return torch.stack([one_hot(X[:, i], n_class) for i in range(X.shape[1])])
'''),
]
