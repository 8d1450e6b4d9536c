"""The attention exercise (Task04): its messages, the errors it recognises, its classic
mistakes and its notebook's formulas."""

from autograder.registry import Mistake


def _doc(name: str, zh: str) -> dict[str, str]:
    # Rendered as a template: a brace of the docstring is written twice.
    return {"en": f"(the docstring of {name} in assignments/attention.py)",
            "zh": zh.replace("{", "{{").replace("}", "}}")}


MESSAGES = {
    # -- SequenceMask ----------------------------------------------------------------
    "sequence_mask.inverted": {
        "en": "SequenceMask masks the wrong side: it keeps the positions past each valid "
              "length and replaces the valid ones. Row i keeps X[i, j] for j < X_len[i]; "
              "the mask is torch.arange(maxlen)[None, :] >= X_len[:, None] (the positions "
              "to replace), not < (the positions to keep).",
        "zh": "SequenceMask 屏蔽反了：它保留了有效长度之后的位置，却替换了有效的位置。第 i 行"
              "应保留 j < X_len[i] 的 X[i, j]；掩码是 torch.arange(maxlen)[None, :] >= "
              "X_len[:, None]（要替换的位置），而不是 <（要保留的位置）。",
    },
    "sequence_mask.off_by_one": {
        "en": "SequenceMask is off by one: row i must keep exactly its first X_len[i] "
              "entries, X[i, 0] to X[i, X_len[i] - 1]. Compare the positions "
              "torch.arange(maxlen) with X_len using >= for the masked ones (> or a shifted "
              "arange moves the boundary by one).",
        "zh": "SequenceMask 差了一位：第 i 行应恰好保留前 X_len[i] 个元素，即 X[i, 0] 到 "
              "X[i, X_len[i] - 1]。用 >= 比较位置 torch.arange(maxlen) 与 X_len 得到要屏蔽的位置"
              "（用 > 或错位的 `arange` 会把边界移动一位）。",
    },
    "sequence_mask.ignores_value": {
        "en": "SequenceMask ignores its argument value ({value} here) and always writes "
              "-1e6: write `value` into the masked positions.",
        "zh": "SequenceMask 忽略了参数 value（这里是 {value}），总是写入 -1e6：请把 `value` "
              "写入被屏蔽的位置。",
    },
    # -- masked_softmax --------------------------------------------------------------
    "masked_softmax.no_reshape": {
        "en": "masked_softmax returns the flattened weights, of shape {actual}, instead of "
              "X's shape {expected}: the values are right, but the softmax of the "
              "(batch_size * num_queries, num_kv_pairs) matrix must be reshaped back, "
              "`.reshape(X.shape)`.",
        "zh": "masked_softmax 返回了展平后的权重，形状为 {actual}，而不是 X 的形状 {expected}："
              "数值是对的，但对 (batch_size * num_queries, num_kv_pairs) 矩阵做完 softmax 后"
              "必须变回原来的形状：`.reshape(X.shape)`。",
    },
    "masked_softmax.not_masked": {
        "en": "masked_softmax gives weight to the positions past the valid length: it "
              "returns the plain softmax of X. Mask the flattened scores with "
              "SequenceMask(X.reshape(-1, X.shape[-1]), valid_length) before the softmax.",
        "zh": "masked_softmax 给有效长度之后的位置也分配了权重：它返回的是 X 的普通 softmax。"
              "请在 softmax 之前用 SequenceMask(X.reshape(-1, X.shape[-1]), valid_length) "
              "屏蔽展平后的分数。",
    },
    "masked_softmax.mask_value_zero": {
        "en": "masked_softmax masks the scores with 0 instead of -1e6: exp(0) = 1, so the "
              "padding positions still get weight. Mask with a very negative value, "
              "SequenceMask(..., value=-1e6), whose exp is 0.",
        "zh": "masked_softmax 用 0 而不是 -1e6 屏蔽分数：exp(0) = 1，填充位置仍然会得到权重。"
              "请用一个很小的负数屏蔽，SequenceMask(..., value=-1e6)，它的 exp 是 0。",
    },
    "masked_softmax.tiled_lengths": {
        "en": "masked_softmax gives the rows the wrong valid lengths: valid_length.repeat(n) "
              "tiles the whole vector ([2, 3] -> [2, 3, 2, 3]), while each example's length "
              "must be repeated for each of its queries ([2, 3] -> [2, 2, 3, 3]): use "
              "torch.repeat_interleave(valid_length, X.shape[1]) (NumPy's repeat does the "
              "same, torch's .repeat does not).",
        "zh": "masked_softmax 给各行分配的有效长度不对：valid_length.repeat(n) 会把整个向量平铺"
              "（[2, 3] -> [2, 3, 2, 3]），而每个样本的长度应当对它的每个查询各重复一次"
              "（[2, 3] -> [2, 2, 3, 3]）：请用 torch.repeat_interleave(valid_length, X.shape[1])"
              "（NumPy 的 `repeat` 是这样做的，torch 的 `.repeat` 不是）。",
    },
    "masked_softmax.wrong_axis": {
        "en": "masked_softmax takes the softmax over the wrong axis: the weights of each "
              "query, over the keys, must sum to 1, so the softmax runs over the last axis "
              "(dim=-1), of the scores as of the flattened (rows, num_kv_pairs) matrix.",
        "zh": "masked_softmax 在错误的轴上做了 softmax：每个查询对所有键的权重之和必须为 1，"
              "所以 softmax 要在最后一个轴上做（dim=-1），无论是对分数本身还是对展平后的 "
              "(行数, num_kv_pairs) 矩阵。",
    },
    # -- the layers ------------------------------------------------------------------
    "attention.not_module": {
        "en": "{layer}(...) should build an nn.Module, but it gave {actual}: define "
              "{layer} as a class that derives from nn.Module.",
        "zh": "{layer}(...) 应当创建一个 nn.Module，但得到的是 {actual}：请把 {layer} 定义为"
              "继承 nn.Module 的类。",
    },
    "attention.masked_values": {
        "en": "The attention masks the values instead of the scores: its output does not "
              "change when the values past the valid length change, but it does when those "
              "keys change, so the padding still takes part in the softmax. Mask the scores: "
              "masked_softmax(scores, valid_length), then the weights times all the values.",
        "zh": "注意力屏蔽的是值而不是分数：有效长度之后的值改变时输出不变，但这些位置的键改变时"
              "输出会变，说明填充位置仍然参与了 softmax。请屏蔽分数：先 "
              "masked_softmax(scores, valid_length)，再用权重乘以全部的值。",
    },
    "attention.not_masked": {
        "en": "The attention ignores valid_length: its output changes with the keys and "
              "the values past the valid length, which must get no weight. Pass "
              "valid_length on: masked_softmax(scores, valid_length).",
        "zh": "注意力忽略了 valid_length：有效长度之后的键和值改变时输出也会改变，而这些位置"
              "应当没有权重。请把 valid_length 传下去：masked_softmax(scores, valid_length)。",
    },
    "attention.scaled_by_d": {
        "en": "DotProductAttention divides the scores by d = {d} instead of sqrt(d): the "
              "dot product of two random vectors of length d has variance d, so dividing "
              "by math.sqrt(d) brings it back to 1.",
        "zh": "DotProductAttention 把分数除以了 d = {d}，而不是 sqrt(d)：两个长度为 d 的随机向量"
              "的点积方差为 d，除以 math.sqrt(d) 才能把方差变回 1。",
    },
    "attention.not_scaled": {
        "en": "DotProductAttention does not scale the scores: divide Q K^T by sqrt(d) "
              "(d = {d} here, the length of a query), or large d saturates the softmax.",
        "zh": "DotProductAttention 没有缩放分数：请把 Q K^T 除以 sqrt(d)（这里 d = {d}，"
              "即查询的长度），否则 d 较大时 softmax 会饱和。",
    },
    "attention.dropout_in_eval": {
        "en": "DotProductAttention still drops weights in eval mode: use the submodule "
              "self.dropout = nn.Dropout(dropout), which net.eval() turns off "
              "(F.dropout(x, p) without training=self.training always drops).",
        "zh": "DotProductAttention 在评估模式下仍然丢弃权重：请使用子模块 "
              "self.dropout = nn.Dropout(dropout)，net.eval() 会关闭它"
              "（F.dropout(x, p) 不传 training=self.training 时总是会丢弃）。",
    },
    "attention.no_dropout": {
        "en": "DotProductAttention applies no dropout: built with dropout=1 and in training "
              "mode, every attention weight must be dropped, so the output is 0. Pass the "
              "weights through self.dropout before multiplying them with the values.",
        "zh": "DotProductAttention 没有使用 dropout：用 dropout=1 创建并处于训练模式时，所有"
              "注意力权重都应被丢弃，输出应为 0。请在与值相乘之前让权重经过 self.dropout。",
    },
    # -- MLPAttention ----------------------------------------------------------------
    "mlp_attention.layers": {
        "en": "MLPAttention(units={units}, ipt_dim={ipt_dim}, ...) should hold two "
              "projections from ipt_dim to units, W_k and W_q = nn.Linear(ipt_dim, units, "
              "bias=False), and a scoring layer v = nn.Linear(units, 1, bias=False); its "
              "parameters are: {found}.",
        "zh": "MLPAttention(units={units}, ipt_dim={ipt_dim}, ...) 应当有两个从 ipt_dim 到 "
              "units 的投影 W_k 和 W_q = nn.Linear(ipt_dim, units, bias=False)，以及一个打分层 "
              "v = nn.Linear(units, 1, bias=False)；它的参数是：{found}。",
    },
    "mlp_attention.bias": {
        "en": "MLPAttention's layers have biases ({names}): the perceptron of additive "
              "attention has none. Create them with bias=False.",
        "zh": "MLPAttention 的层带有偏置（{names}）：加性注意力的感知机没有偏置。"
              "请用 bias=False 创建它们。",
    },
    "mlp_attention.extra": {
        "en": "MLPAttention holds {count} parameter(s) besides W_k, W_q and v: keep only "
              "those three layers (and the dropout, which has none).",
        "zh": "MLPAttention 除了 W_k、W_q 和 v 之外还有 {count} 个参数：只保留这三个层"
              "（以及没有参数的 dropout）。",
    },
    "mlp_attention.same_projection": {
        "en": "MLPAttention projects the query and the key with the same layer ({layer}): "
              "each has its own, W_q for the query and W_k for the key.",
        "zh": "MLPAttention 用同一个层（{layer}）投影了查询和键：两者各有自己的层，查询用 W_q，"
              "键用 W_k。",
    },
    "mlp_attention.neither_form": {
        "en": "MLPAttention's output is neither the book's v(tanh(W_q q + W_k k)) nor the "
              "course's v(W_k q + W_q k), computed with its own layers ({names}). Project "
              "query and key, add them as (batch, queries, 1, units) + (batch, 1, pairs, "
              "units), score with v, squeeze the last axis, take masked_softmax(scores, "
              "valid_length), and weigh the values with torch.bmm.",
        "zh": "MLPAttention 的输出既不是书中的 v(tanh(W_q q + W_k k))，也不是课程的 "
              "v(W_k q + W_q k)（用它自己的层 {names} 计算）。请投影查询和键，按 "
              "`(batch, queries, 1, units) + (batch, 1, pairs, units)` 相加，用 v 打分并去掉最后"
              "一个轴，取 masked_softmax(scores, valid_length)，再用 torch.bmm 对值加权。",
    },
    # -- the heads -------------------------------------------------------------------
    "heads.interleaved": {
        "en": "{function} interleaves the heads: head h must get a contiguous slice of "
              "the features, h * size to (h + 1) * size - 1, so split the last axis as "
              "(num_heads, -1), not (-1, num_heads), which deals the features out one by "
              "one.",
        "zh": "{function} 把各个头交错了：第 h 个头应当得到特征的一段连续切片，从 `h * size` 到 "
              "`(h + 1) * size - 1`，所以最后一个轴要拆成 (num_heads, -1)，而不是 "
              "(-1, num_heads)，后者会把特征逐个轮流分给各个头。",
    },
    "heads.head_major": {
        "en": "{function} orders the rows head by head (all examples' head 0, then head "
              "1, ...): row b * num_heads + h must hold head h of example b, so keep the "
              "batch axis first, permute(0, 2, 1, 3), before merging it with the heads.",
        "zh": "{function} 按头排列各行（先是所有样本的第 0 个头，再是第 1 个头……）：第 "
              "b * num_heads + h 行应当是样本 b 的第 h 个头，所以在与头合并之前要让批量轴留在"
              "最前面：permute(0, 2, 1, 3)。",
    },
    "heads.no_permute": {
        "en": "{function} reshapes without moving the head axis: a reshape alone mixes "
              "sequence positions into the heads. Reshape to (batch, seq, num_heads, -1), "
              "permute(0, 2, 1, 3), then reshape again (transpose_output: the same steps "
              "in reverse).",
        "zh": "{function} 只做了变形而没有移动头所在的轴：单独的 `reshape` 会把序列位置混进"
              "各个头里。请先变形为 `(batch, seq, num_heads, -1)`，再 permute(0, 2, 1, 3)，"
              "然后再变形（transpose_output 按相反的顺序做同样的步骤）。",
    },
    "heads.view": {
        "en": "{function} calls .view on a permuted tensor{where}: a permuted tensor is "
              "not contiguous in memory, so view cannot merge its axes. Use .reshape, or "
              ".contiguous() before .view.",
        "zh": "{function} 对换轴之后的张量调用了 .view{where}：换轴后的张量在内存中不连续，"
              "`view` 无法合并它的轴。请用 .reshape，或在 .view 之前调用 .contiguous()。",
    },
    # -- errors on the GPU -----------------------------------------------------------
    "attention.mask_on_cpu": {
        "en": "{function} builds its mask on the CPU{where}: torch.arange(maxlen) without "
              "device= lives on the CPU, and comparing it with lengths on the GPU fails. "
              "Write torch.arange(maxlen, device=X.device).",
        "zh": "{function} 在 CPU 上创建了掩码{where}：不带 device= 的 torch.arange(maxlen) "
              "在 CPU 上，与 GPU 上的长度比较会出错。请写 torch.arange(maxlen, device=X.device)。",
    },
    "attention.numpy": {
        "en": "{function} calls .numpy() on valid_length{where}, which fails for a tensor "
              "on the GPU: repeat the lengths with torch.repeat_interleave(valid_length, "
              "X.shape[1]), which stays on valid_length's device.",
        "zh": "{function} 对 valid_length 调用了 .numpy(){where}，张量在 GPU 上时会出错："
              "请用 torch.repeat_interleave(valid_length, X.shape[1]) 重复长度，结果留在 "
              "valid_length 所在的设备上。",
    },
    # -- the tests' names ------------------------------------------------------------
    "test.attention.test_sequence_mask_values": {
        "en": "SequenceMask sets X[i, j] to -1e6 where j >= X_len[i]",
        "zh": "SequenceMask 把 j >= X_len[i] 处的 X[i, j] 设为 -1e6",
    },
    "test.attention.test_sequence_mask_value_and_float_lengths": {
        "en": "SequenceMask uses the given value, and lengths given as floats",
        "zh": "SequenceMask 使用给定的 value，也接受浮点数形式的长度",
    },
    "test.attention.test_sequence_mask_stays_on_device": {
        "en": "SequenceMask builds its mask on X's device and keeps its right result there",
        "zh": "SequenceMask 在 X 所在的设备上创建掩码，并把正确的结果留在那里",
    },
    "test.attention.test_masked_softmax_one_length_per_example": {
        "en": "masked_softmax masks each example past its valid length (1-d valid_length)",
        "zh": "masked_softmax 屏蔽每个样本有效长度之后的位置（一维 valid_length）",
    },
    "test.attention.test_masked_softmax_one_length_per_query": {
        "en": "masked_softmax masks each query past its own valid length (2-d float "
              "valid_length)",
        "zh": "masked_softmax 屏蔽每个查询各自有效长度之后的位置（二维浮点 valid_length）",
    },
    "test.attention.test_masked_softmax_without_lengths": {
        "en": "masked_softmax(X, None) is the softmax over the last axis",
        "zh": "masked_softmax(X, None) 就是最后一个轴上的 softmax",
    },
    "test.attention.test_masked_softmax_stays_on_device": {
        "en": "masked_softmax keeps its right result on X's device",
        "zh": "masked_softmax 把正确的结果留在 X 所在的设备上",
    },
    "test.attention.test_dot_product_attention_values": {
        "en": "DotProductAttention weighs the values by the masked softmax of Q K^T / "
              "sqrt(d)",
        "zh": "DotProductAttention 用 Q K^T / sqrt(d) 的屏蔽 softmax 对值加权",
    },
    "test.attention.test_dot_product_attention_lengths_per_query_and_none": {
        "en": "DotProductAttention takes a 2-d valid_length, or None",
        "zh": "DotProductAttention 接受二维的 valid_length，或 None",
    },
    "test.attention.test_dot_product_attention_dropout": {
        "en": "DotProductAttention drops attention weights in training mode only",
        "zh": "DotProductAttention 只在训练模式下丢弃注意力权重",
    },
    "test.attention.test_dot_product_attention_stays_on_device": {
        "en": "DotProductAttention keeps its right output on the inputs' device",
        "zh": "DotProductAttention 把正确的输出留在输入所在的设备上",
    },
    "test.attention.test_mlp_attention_layers": {
        "en": "MLPAttention holds W_k, W_q: ipt_dim -> units and v: units -> 1, without "
              "bias",
        "zh": "MLPAttention 含有 W_k、W_q：ipt_dim -> units 和 v：units -> 1，都没有偏置",
    },
    "test.attention.test_mlp_attention_values": {
        "en": "MLPAttention scores with v(tanh(W_q q + W_k k)), or the course's "
              "v(W_k q + W_q k)",
        "zh": "MLPAttention 用 v(tanh(W_q q + W_k k)) 打分，或用课程的 v(W_k q + W_q k)",
    },
    "test.attention.test_mlp_attention_stays_on_device": {
        "en": "MLPAttention moved to the inputs' device keeps its right output there",
        "zh": "MLPAttention 移到输入所在的设备后，把正确的输出留在那里",
    },
    "test.attention.test_transpose_qkv": {
        "en": "transpose_qkv puts head h of example b, a contiguous slice of features, in "
              "row b*H+h",
        "zh": "transpose_qkv 把样本 b 的第 h 个头（特征的一段连续切片）放在第 b*H+h 行",
    },
    "test.attention.test_transpose_qkv_stays_on_device": {
        "en": "transpose_qkv keeps its right result on X's device",
        "zh": "transpose_qkv 把正确的结果留在 X 所在的设备上",
    },
    "test.attention.test_transpose_output": {
        "en": "transpose_output undoes transpose_qkv",
        "zh": "transpose_output 还原 transpose_qkv 的变换",
    },
    "test.attention.test_transpose_output_stays_on_device": {
        "en": "transpose_output keeps its right result on X's device",
        "zh": "transpose_output 把正确的结果留在 X 所在的设备上",
    },
    # -- the feedback page -----------------------------------------------------------
    "feedback.attention.heading": {"en": "Attention", "zh": "注意力"},
    "feedback.attention.intro": {
        "en": "The weights of your masked_softmax for two examples of 3 queries and 6 keys, "
              "valid lengths {lengths}: yours in the top row, the book's in the bottom row, "
              "one column per example, darker for more weight. The hatched keys are past "
              "the valid length: they must get no weight at all. Below, the form of "
              "MLPAttention that your code computes.",
        "zh": "你的 masked_softmax 在两个样本上给出的权重，每个样本 3 个查询、6 个键，有效长度"
              "分别为 {lengths}：上面一行是你的，下面一行是书中的，每列一个样本，颜色越深权重越大。"
              "画了斜线的键在有效长度之后：它们必须完全没有权重。下面是你的代码所计算的 "
              "MLPAttention 的形式。",
    },
    "feedback.attention.form_book": {
        "en": "Your MLPAttention computes the book's form, v(tanh(W_q q + W_k k)).",
        "zh": "你的 MLPAttention 计算的是书中的形式：v(tanh(W_q q + W_k k))。",
    },
    "feedback.attention.form_course": {
        "en": "Your MLPAttention computes the course's form, v(W_k q + W_q k), without "
              "tanh: accepted. Without the tanh the query's term is the same for every "
              "key, so the softmax cancels it and the scores depend on the key alone; the "
              "book's tanh is what lets the query choose the keys.",
        "zh": "你的 MLPAttention 计算的是课程的形式：v(W_k q + W_q k)，没有 tanh，这也可以。"
              "没有 tanh 时，查询那一项对每个键都相同，会被 softmax 抵消，分数只取决于键；"
              "正是书中的 tanh 让查询能够挑选键。",
    },
    "feedback.attention.form_neither": {
        "en": "Your MLPAttention computes neither the book's v(tanh(W_q q + W_k k)) nor "
              "the course's v(W_k q + W_q k) with its own layers: see its tests above.",
        "zh": "用它自己的层计算，你的 MLPAttention 既不是书中的 v(tanh(W_q q + W_k k))，"
              "也不是课程的 v(W_k q + W_q k)：请看上面它的测试。",
    },
    # -- the notebook ----------------------------------------------------------------
    "course.attention.notes": {
        "en": "An attention layer scores a query {q} against each key {k_i},\n{scores}, "
              "turns the scores into weights with a softmax,\n{weights}, and returns the "
              "weighted sum of the values,\n{output}. Dot-product attention scores with\n"
              "{dot}; additive (MLP) attention with\n{mlp}.",
        "zh": "注意力层用查询 {q} 给每个键 {k_i} 打分，\n{scores}，用 softmax 把分数变成权重，\n"
              "{weights}，再返回值的加权和，\n{output}。点积注意力的打分函数是\n{dot}；"
              "加性（多层感知机）注意力的打分函数是\n{mlp}。",
    },
    "course.attention.masked_softmax.note": {
        "en": "**Why mask?** The sentences of a minibatch are padded to one length; the "
              "padding carries no meaning, so the softmax must give it no weight. A score "
              "of -1e6 has exp(-1e6) = 0 next to any ordinary score, so the masked positions "
              "drop out of the sum.",
        "zh": "**为什么要屏蔽？** 一个小批量中的句子被填充到相同长度；填充没有意义，所以 "
              "softmax 不能给它权重。与任何普通分数相比，-1e6 的 exp(-1e6) = 0，"
              "被屏蔽的位置因此从和中消失。",
    },
    "course.attention.intro": _doc("the module", """\
注意力：屏蔽 softmax、点积注意力与多层感知机注意力、多头注意力的变形。

《动手学深度学习》“注意力机制”一章（1.0 版的 10.1-10.3 节；学习小组 Task04 关于注意力机制与 \
`Transformer` 的笔记本，你要实现的就是其中的函数签名）。注意力层用查询给每个键打分，用 softmax \
把分数变成权重，再返回值的加权和。一个小批量中的序列被填充到相同长度，所以 softmax 必须不给填充\
位置任何权重：valid_length 和屏蔽 softmax 就是为此而设的。

通用的形状：
    query: (batch_size, num_queries, d_q)
    key:   (batch_size, num_kv_pairs, d_k)
    value: (batch_size, num_kv_pairs, d_v)
    valid_length: None；(batch_size,)，每个样本一个长度，所有查询共用；或 \
(batch_size, num_queries)，每个查询一个长度。
函数新建的每个张量都放在输入所在的设备上（只写 torch.arange(maxlen) 创建的掩码在 CPU 上）。"""),
    "course.attention.SequenceMask.doc": _doc("SequenceMask", """\
把 X 每一行有效长度之后的元素替换为 `value`。

第 i 行保留前 X_len[i] 个元素；每个 j >= X_len[i] 的 X[i, j] 变为 `value`。masked_softmax \
使用 -1e6，与任何普通分数相比它的 exp 都是 0，所以被屏蔽的位置没有权重。

参数：
    X: 形状为 (n, maxlen) 的张量，浮点类型，任意设备。
    X_len: 形状为 (n,) 的张量，即有效长度，int64 或浮点（课程笔记本用 torch.FloatTensor），\
与 X 在同一设备上。
    value: 被屏蔽的元素变成的值（默认 -1e6）。

返回：
    屏蔽后的张量，形状、数据类型和设备与 X 相同。原地修改 X 并返回它（课程笔记本的做法）\
和返回一个新张量都可以。"""),
    "course.attention.masked_softmax.doc": _doc("masked_softmax", """\
在 X 的最后一个轴上做 softmax，并屏蔽每个有效长度之后的位置。

把 X 展平为 (batch_size * num_queries, num_kv_pairs)，把 valid_length 扩展为每行一个长度\
（一维的 valid_length 把每个样本的长度重复 num_queries 次，例如用 torch.repeat_interleave；\
二维的则变形为一维），用 SequenceMask(..., value=-1e6) 屏蔽，在最后一个轴上做 softmax，\
再变回 X 的形状。

参数：
    X: 分数，形状为 (batch_size, num_queries, num_kv_pairs)，浮点类型。
    valid_length: None（不屏蔽：最后一个轴上的普通 softmax），或形状为 (batch_size,) 或 \
(batch_size, num_queries) 的张量，int64 或浮点，与 X 在同一设备上。

返回：
    注意力权重，形状、数据类型和设备与 X 相同：每一行在最后一个轴上的和为 1，被屏蔽的位置为 0。\
X 可以被原地修改（课程的代码屏蔽的是它的一个视图）。"""),
    "course.attention.DotProductAttention.doc": _doc("DotProductAttention", """\
缩放点积注意力：softmax(Q K^T / sqrt(d)) V，带 dropout。

把分数除以 sqrt(d)（d 是查询和键的长度）能让它们的方差不论 d 多大都接近 1：d 很大时，\
不缩放的点积很大，softmax 会饱和成独热向量，梯度随之消失。

参数：
    dropout: 训练模式下作用于注意力权重的丢弃概率（nn.Dropout(dropout)，注册为子模块，\
这样 net.eval() 会关闭它）。"""),
    "course.attention.DotProductAttention.__init__.doc": _doc(
        "DotProductAttention.__init__",
        "创建 dropout 层。先调用 super().__init__(**kwargs)。"),
    "course.attention.DotProductAttention.forward.doc": _doc(
        "DotProductAttention.forward", """\
以查询与键的缩放点积作为分数做注意力。

参数：
    query: (batch_size, num_queries, d)。
    key: (batch_size, num_kv_pairs, d)。
    value: (batch_size, num_kv_pairs, d_v)。
    valid_length: None、(batch_size,) 或 (batch_size, num_queries)，与 masked_softmax 的参数相同。

返回：
    (batch_size, num_queries, d_v)：对每个查询，用 masked_softmax(query @ key^T / sqrt(d)) \
加权的值之和，权重先经过 dropout。只屏蔽分数，从不屏蔽值。"""),
    "course.attention.MLPAttention.doc": _doc("MLPAttention", """\
加性（多层感知机）注意力：用一个单隐藏层感知机给每一对查询和键打分。

查询和键分别经过两个没有偏置的线性层 W_q 和 W_k 投影到 `units` 维，相加后，再由第三个没有\
偏置的线性层 v 映射成一个分数：
    score(q, k) = v(tanh(W_q q + W_k k))     （书中的形式）
课程的笔记本省略了 tanh，并且两个层的用法对调，score(q, k) = v(W_k q + W_q k)；两种形式都\
可以，评分时使用你自己的层。与点积注意力不同，查询和键的长度可以不同（这里都是 ipt_dim）。

参数：
    units: 感知机的隐藏单元数 h。
    ipt_dim: 查询和键的长度。
    dropout: 作用于注意力权重的丢弃概率。

属性：
    W_k, W_q: nn.Linear(ipt_dim, units, bias=False)。
    v: nn.Linear(units, 1, bias=False)。
    dropout: nn.Dropout(dropout)。"""),
    "course.attention.MLPAttention.__init__.doc": _doc(
        "MLPAttention.__init__",
        "创建 W_k、W_q、v 和 dropout 层。先调用 super().__init__(**kwargs)。"),
    "course.attention.MLPAttention.forward.doc": _doc("MLPAttention.forward", """\
用感知机的分数做注意力。

把 query 投影为 (batch_size, num_queries, units)，把 key 投影为 \
(batch_size, num_kv_pairs, units)；按 (batch_size, num_queries, 1, units) + \
(batch_size, 1, num_kv_pairs, units) 广播相加；用 v 给每一对打分，并去掉最后一个轴。

参数：
    query: (batch_size, num_queries, ipt_dim)。
    key: (batch_size, num_kv_pairs, ipt_dim)。
    value: (batch_size, num_kv_pairs, d_v)。
    valid_length: None、(batch_size,) 或 (batch_size, num_queries)。

返回：
    (batch_size, num_queries, d_v)：用分数的屏蔽 softmax 加权的值，权重先经过 dropout。"""),
    "course.attention.transpose_qkv.doc": _doc("transpose_qkv", """\
把 X 的特征拆成 num_heads 个头，每个头在批量轴上单独占一行。

多头注意力在特征的不同切片上并排运行 num_heads 个注意力：第 h 个头得到第 h 段连续的 \
num_hiddens / num_heads 个特征（特征 `h * size` 到 `(h + 1) * size - 1`）。把头移到批量轴上，\
一次批量注意力就能把它们全部算完。

参数：
    X: (batch_size, seq_len, num_hiddens)，num_hiddens 能被 num_heads 整除。
    num_heads: 头的个数。

返回：
    (batch_size * num_heads, seq_len, num_hiddens / num_heads)，其中第 b * num_heads + h \
行是样本 b 的第 h 个头：先变形为 (batch_size, seq_len, num_heads, -1)，把头所在的轴移到序列轴\
之前，再把它并入批量轴。"""),
    "course.attention.transpose_output.doc": _doc("transpose_output", """\
还原 transpose_qkv：把每个样本的各个头重新并排放在一起。

参数：
    X: `(batch_size * num_heads, seq_len, size)`，第 b * num_heads + h 行是样本 b 的第 h 个头\
（与 transpose_qkv 的排列相同）。
    num_heads: 头的个数。

返回：
    `(batch_size, seq_len, num_heads * size)`，第 h 个头位于特征 `h * size` 到 \
`(h + 1) * size - 1`，因此 transpose_output(transpose_qkv(X, n), n) 等于 X。"""),
}

KNOWN_ERRORS = [
    ("SequenceMask", "Expected all tensors to be on the same device", "attention.mask_on_cpu"),
    ("masked_softmax", "Expected all tensors to be on the same device",
     "attention.mask_on_cpu"),
    ("masked_softmax", "device type tensor to numpy", "attention.numpy"),
    ("transpose_qkv", "view size is not compatible", "heads.view"),
    ("transpose_output", "view size is not compatible", "heads.view"),
]

FORMULAS = {
    "q": r"$\mathbf{q}$",
    "k_i": r"$\mathbf{k}_i$",
    "scores": r"$a_i = \alpha(\mathbf{q}, \mathbf{k}_i)$",
    "weights": r"$b_1, \ldots, b_n = \mathrm{softmax}(a_1, \ldots, a_n)$",
    "output": r"$\mathbf{o} = \sum_{i=1}^n b_i \mathbf{v}_i$",
    "dot": r"$\alpha(\mathbf{q}, \mathbf{k}) = \langle \mathbf{q}, \mathbf{k} \rangle / \sqrt{d}$",
    "mlp": r"$\alpha(\mathbf{q}, \mathbf{k}) = \mathbf{v}^\top \tanh(\mathbf{W}_q \mathbf{q} + "
           r"\mathbf{W}_k \mathbf{k})$",
}

FUNCTION_FORMULAS = {
    "masked_softmax": r"$\mathrm{softmax}(\mathbf{X})_{ij} = \exp(X_{ij}) / "
                      r"\sum_{k < \ell_i} \exp(X_{ik})$ for $j < \ell_i$, else $0$",
    "DotProductAttention": r"$\mathrm{softmax}(\mathbf{Q}\mathbf{K}^\top / \sqrt{d})\,\mathbf{V}$",
    "MLPAttention": r"$\alpha(\mathbf{q}, \mathbf{k}) = \mathbf{v}^\top \tanh(\mathbf{W}_q "
                    r"\mathbf{q} + \mathbf{W}_k \mathbf{k})$",
}

MISTAKES = [
    Mistake(name="masked-softmax-no-reshape", function="masked_softmax",
            key="masked_softmax.no_reshape", code='''
def masked_softmax(X, valid_length):
    softmax = nn.Softmax(dim=-1)
    if valid_length is None:
        return softmax(X)
    shape = X.shape
    if valid_length.dim() == 1:
        valid_length = torch.repeat_interleave(valid_length, X.shape[1])
    else:
        valid_length = valid_length.reshape((-1,))
    X = SequenceMask(X.reshape((-1, shape[-1])), valid_length)
    return softmax(X)
'''),
    Mistake(name="masked-softmax-tiled-lengths", function="masked_softmax",
            key="masked_softmax.tiled_lengths", code='''
def masked_softmax(X, valid_length):
    if valid_length is None:
        return torch.softmax(X, dim=-1)
    shape = X.shape
    if valid_length.dim() == 1:
        valid_length = valid_length.repeat(shape[1])
    else:
        valid_length = valid_length.reshape(-1)
    X = SequenceMask(X.reshape(-1, shape[-1]), valid_length)
    return torch.softmax(X, dim=-1).reshape(shape)
'''),
    Mistake(name="masked-softmax-wrong-axis", function="masked_softmax",
            key="masked_softmax.wrong_axis", code='''
def masked_softmax(X, valid_length):
    if valid_length is None:
        return torch.softmax(X, dim=1)
    shape = X.shape
    if valid_length.dim() == 1:
        valid_length = torch.repeat_interleave(valid_length, X.shape[1])
    else:
        valid_length = valid_length.reshape(-1)
    X = SequenceMask(X.reshape(-1, shape[-1]), valid_length)
    return torch.softmax(X.reshape(shape), dim=1)
'''),
    Mistake(name="masked-softmax-mask-value-zero", function="masked_softmax",
            key="masked_softmax.mask_value_zero", code='''
def masked_softmax(X, valid_length):
    if valid_length is None:
        return torch.softmax(X, dim=-1)
    shape = X.shape
    if valid_length.dim() == 1:
        valid_length = torch.repeat_interleave(valid_length, X.shape[1])
    else:
        valid_length = valid_length.reshape(-1)
    X = SequenceMask(X.reshape(-1, shape[-1]), valid_length, value=0)
    return torch.softmax(X, dim=-1).reshape(shape)
'''),
    Mistake(name="sequence-mask-inverted", function="SequenceMask",
            key="sequence_mask.inverted", code='''
def SequenceMask(X, X_len, value=-1e6):
    mask = torch.arange(X.size(1), device=X.device)[None, :] < X_len[:, None]
    X[mask] = value
    return X
'''),
    Mistake(name="dot-product-scaled-by-d", function="DotProductAttention",
            key="attention.scaled_by_d", code='''
class DotProductAttention(nn.Module):
    def __init__(self, dropout, **kwargs):
        super().__init__(**kwargs)
        self.dropout = nn.Dropout(dropout)

    def forward(self, query, key, value, valid_length=None):
        d = query.shape[-1]
        scores = torch.bmm(query, key.transpose(1, 2)) / d
        attention_weights = self.dropout(masked_softmax(scores, valid_length))
        return torch.bmm(attention_weights, value)
'''),
    Mistake(name="dot-product-masks-values", function="DotProductAttention",
            key="attention.masked_values", code='''
class DotProductAttention(nn.Module):
    def __init__(self, dropout, **kwargs):
        super().__init__(**kwargs)
        self.dropout = nn.Dropout(dropout)

    def forward(self, query, key, value, valid_length=None):
        d = query.shape[-1]
        scores = torch.bmm(query, key.transpose(1, 2)) / math.sqrt(d)
        attention_weights = self.dropout(torch.softmax(scores, dim=-1))
        if valid_length is not None and valid_length.dim() == 1:
            value = SequenceMask(value.clone(), valid_length, value=0)
        return torch.bmm(attention_weights, value)
'''),
    Mistake(name="dot-product-functional-dropout", function="DotProductAttention",
            key="attention.dropout_in_eval", code='''
class DotProductAttention(nn.Module):
    def __init__(self, dropout, **kwargs):
        super().__init__(**kwargs)
        self.p = dropout

    def forward(self, query, key, value, valid_length=None):
        d = query.shape[-1]
        scores = torch.bmm(query, key.transpose(1, 2)) / math.sqrt(d)
        weights = torch.nn.functional.dropout(masked_softmax(scores, valid_length), self.p)
        return torch.bmm(weights, value)
'''),
    Mistake(name="mlp-attention-one-projection", function="MLPAttention",
            key="mlp_attention.same_projection", code='''
class MLPAttention(nn.Module):
    def __init__(self, units, ipt_dim, dropout, **kwargs):
        super().__init__(**kwargs)
        self.W_k = nn.Linear(ipt_dim, units, bias=False)
        self.W_q = nn.Linear(ipt_dim, units, bias=False)
        self.v = nn.Linear(units, 1, bias=False)
        self.dropout = nn.Dropout(dropout)

    def forward(self, query, key, value, valid_length=None):
        query, key = self.W_k(query), self.W_k(key)
        features = torch.tanh(query.unsqueeze(2) + key.unsqueeze(1))
        scores = self.v(features).squeeze(-1)
        attention_weights = self.dropout(masked_softmax(scores, valid_length))
        return torch.bmm(attention_weights, value)
'''),
    Mistake(name="mlp-attention-biases", function="MLPAttention", key="mlp_attention.bias",
            code='''
class MLPAttention(nn.Module):
    def __init__(self, units, ipt_dim, dropout, **kwargs):
        super().__init__(**kwargs)
        self.W_k = nn.Linear(ipt_dim, units)
        self.W_q = nn.Linear(ipt_dim, units)
        self.v = nn.Linear(units, 1)
        self.dropout = nn.Dropout(dropout)

    def forward(self, query, key, value, valid_length=None):
        query, key = self.W_q(query), self.W_k(key)
        features = torch.tanh(query.unsqueeze(2) + key.unsqueeze(1))
        scores = self.v(features).squeeze(-1)
        attention_weights = self.dropout(masked_softmax(scores, valid_length))
        return torch.bmm(attention_weights, value)
'''),
    Mistake(name="transpose-qkv-interleaved", function="transpose_qkv",
            key="heads.interleaved", code='''
def transpose_qkv(X, num_heads):
    X = X.reshape(X.shape[0], X.shape[1], -1, num_heads)
    X = X.permute(0, 3, 1, 2)
    return X.reshape(-1, X.shape[2], X.shape[3])
'''),
    Mistake(name="transpose-qkv-head-major", function="transpose_qkv",
            key="heads.head_major", code='''
def transpose_qkv(X, num_heads):
    X = X.reshape(X.shape[0], X.shape[1], num_heads, -1)
    X = X.permute(2, 0, 1, 3)
    return X.reshape(-1, X.shape[2], X.shape[3])
'''),
    Mistake(name="transpose-qkv-view", function="transpose_qkv", key="heads.view", code='''
def transpose_qkv(X, num_heads):
    X = X.view(X.shape[0], X.shape[1], num_heads, -1)
    X = X.transpose(2, 1)
    return X.view(-1, X.shape[2], X.shape[3])
'''),
    Mistake(name="transpose-output-no-permute", function="transpose_output",
            key="heads.no_permute", code='''
def transpose_output(X, num_heads):
    return X.reshape(-1, X.shape[1], num_heads * X.shape[2])
'''),
]
