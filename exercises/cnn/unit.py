"""cnn: what the grader says about convolution and pooling, in English and Chinese,
the errors it recognises, the classic mistakes, and the notebook's formulas."""

from autograder.registry import Mistake

MESSAGES = {
    # -- shared by the functions --------------------------------------------------------
    "cnn.integer_output": {
        "en": "{function} returns an integer tensor ({dtype}) for X of dtype {x_dtype}: every "
              "value written into it was truncated to an integer. Create the output as a "
              "float tensor, e.g. torch.zeros(shape, device=X.device), whose default dtype is "
              "float32, not with an integer dtype.",
        "zh": "{function} 对 dtype 为 {x_dtype} 的 X 返回了整数张量（{dtype}）：写进去的每个值都被"
              "截断成了整数。请把输出创建为浮点张量，例如 torch.zeros(shape, device=X.device)"
              "（默认 dtype 是 float32），不要指定整数 dtype。",
    },
    "cnn.off_by_one": {
        "en": "{what} has shape {actual}, expected {expected}: for an input of {x_shape} and a "
              "window of {window} there is one output per position where the whole window "
              "fits, n_h - k_h + 1 rows and n_w - k_w + 1 columns (the + 1 counts the first "
              "position, 0).",
        "zh": "{what} 的形状是 {actual}，应为 {expected}：输入为 {x_shape}、窗口为 {window} 时，"
              "窗口能完整放下的每个位置各有一个输出，共 n_h - k_h + 1 行、n_w - k_w + 1 列"
              "（+ 1 算上了第一个位置 0）。",
    },
    "cnn.input_shape": {
        "en": "{what} has shape {actual}, X's own shape, expected {expected}: the output "
              "has one element per position where the whole window of {window} fits, "
              "n_h - k_h + 1 rows and n_w - k_w + 1 columns, not one per element of X "
              "(torch.zeros_like(X) is too large).",
        "zh": "{what} 的形状是 {actual}，即 X 自身的形状，应为 {expected}：输出在 {window} 窗口能"
              "完整放下的每个位置各有一个元素，共 n_h - k_h + 1 行、n_w - k_w + 1 列，而不是 X 的"
              "每个元素各一个（torch.zeros_like(X) 太大了）。",
    },
    "cnn.missing_windows": {
        "en": "{function} leaves the last rows or columns of its output at zero: the loops "
              "stop one position early. Loop over range(Y.shape[0]) and range(Y.shape[1]), "
              "every position of the output.",
        "zh": "{function} 的输出最后几行或几列保持为零：循环提前一个位置就停止了。请遍历 "
              "range(Y.shape[0]) 和 range(Y.shape[1])，即输出的每个位置。",
    },
    "cnn.what_gradient": {
        "en": "the gradient of {function} with respect to {argument}",
        "zh": "{function} 对 {argument} 的梯度",
    },
    # -- corr2d ------------------------------------------------------------------------
    "corr2d.flipped": {
        "en": "corr2d flips the kernel: it computes a convolution in the mathematical sense, "
              "not the cross-correlation the layer uses. Multiply each window by K as it is: "
              "Y[i, j] = (X[i: i + h, j: j + w] * K).sum().",
        "zh": "corr2d 把核翻转了：它算的是数学意义上的卷积，而不是卷积层所用的互相关运算。"
              "请让每个窗口直接与 K 相乘：Y[i, j] = (X[i: i + h, j: j + w] * K).sum()。",
    },
    "corr2d.no_grad": {
        "en": "No gradient reaches X and K through corr2d's output: it is cut off from the "
              "graph (.item(), .numpy(), .detach(), torch.tensor(...) of the values, or "
              "torch.no_grad()?). Write each element as Y[i, j] = (... * K).sum(): autograd "
              "records that assignment, and Conv2D learns its kernel through it.",
        "zh": "梯度无法经由 corr2d 的输出到达 X 和 K：输出与计算图断开了（用了 .item()、.numpy()、"
              ".detach()、对数值调用 torch.tensor(...)，或 torch.no_grad()？）。请把每个元素写成 "
              "Y[i, j] = (... * K).sum()：自动求导会记录这个赋值，Conv2D 正是通过它学习核的。",
    },
    "corr2d.window_past_end": {
        "en": "{function} takes a window that runs past the edge of X{where}: the output has "
              "too many rows or columns, so the last windows are cut short and no longer "
              "match K's shape. The output has n_h - k_h + 1 rows and n_w - k_w + 1 columns.",
        "zh": "{function} 取的窗口超出了 X 的边界{where}：输出的行或列多了，最后的窗口被截短，"
              "形状不再与 K 相同。输出应有 n_h - k_h + 1 行、n_w - k_w + 1 列。",
    },
    # -- Conv2D ------------------------------------------------------------------------
    "conv2d.not_module": {
        "en": "Conv2D(kernel_size) gave {actual}, not an nn.Module: Conv2D must be a class "
              "that subclasses nn.Module (class Conv2D(nn.Module): ...).",
        "zh": "Conv2D(kernel_size) 得到的是 {actual}，而不是 nn.Module：Conv2D 必须是 nn.Module "
              "的子类（`class Conv2D(nn.Module): ...`）。",
    },
    "conv2d.no_super_init": {
        "en": "Conv2D.__init__ assigns a parameter before calling super().__init__(){where}: "
              "nn.Module sets up the bookkeeping that registers parameters there, so call "
              "it first.",
        "zh": "Conv2D.__init__ 在调用 super().__init__() 之前就给参数赋值了{where}：nn.Module 在"
              "那里建立登记参数的机制，所以要先调用它。",
    },
    "conv2d.unregistered": {
        "en": "Conv2D keeps its kernel and bias in {names}, plain tensors that nn.Module does "
              "not register: net.parameters() is empty, so an optimiser never updates them, "
              "and net.to(device) does not move them. Wrap them in nn.Parameter: "
              "self.weight = nn.Parameter(torch.randn(kernel_size)), "
              "self.bias = nn.Parameter(torch.randn(1)).",
        "zh": "Conv2D 把核和偏差放在了 {names} 里，它们是 nn.Module 不会登记的普通张量："
              "net.parameters() 是空的，优化器永远不会更新它们，net.to(device) 也不会移动它们。"
              "请用 nn.Parameter 包装：self.weight = nn.Parameter(torch.randn(kernel_size))，"
              "self.bias = nn.Parameter(torch.randn(1))。",
    },
    "conv2d.missing_parameter": {
        "en": "Conv2D has no parameter named {names} (its parameters: {found}): the kernel "
              "is self.weight and the scalar bias self.bias, both nn.Parameter.",
        "zh": "Conv2D 没有名为 {names} 的参数（它的参数：{found}）：核是 self.weight，"
              "标量偏差是 self.bias，两者都是 nn.Parameter。",
    },
    "conv2d.extra": {
        "en": "Conv2D has parameters besides weight and bias: {names}. The layer's only "
              "parameters are its kernel and its scalar bias.",
        "zh": "Conv2D 除了 weight 和 bias 之外还有其他参数：{names}。"
              "这个层的参数只有核和标量偏差。",
    },
    "conv2d.shapes": {
        "en": "Conv2D({kernel_size}) has weight of shape {weight} and bias of shape {bias}; "
              "expected {kernel_size} and (1,): torch.randn(kernel_size) for the kernel, "
              "torch.randn(1) for the one bias added to every output.",
        "zh": "Conv2D({kernel_size}) 的 weight 形状为 {weight}，bias 形状为 {bias}；应为 "
              "{kernel_size} 和 (1,)：核用 torch.randn(kernel_size)，加到每个输出上的那一个偏差"
              "用 torch.randn(1)。",
    },
    "conv2d.no_bias": {
        "en": "Conv2D's output is corr2d(x, weight) without the bias: return "
              "corr2d(x, self.weight) + self.bias.",
        "zh": "Conv2D 的输出是 corr2d(x, weight)，没有加偏差：请返回 corr2d(x, self.weight) + "
              "self.bias。",
    },
    "conv2d.arguments_swapped": {
        "en": "Conv2D's forward pass calls corr2d with its arguments swapped{where}: the "
              "input comes first and the kernel second, corr2d(x, self.weight).",
        "zh": "Conv2D 的前向计算调用 corr2d 时把参数写反了{where}：输入在前、核在后，"
              "corr2d(x, self.weight)。",
    },
    "conv2d.no_grad": {
        "en": "backward() through Conv2D's output gives {name} no gradient: the forward pass "
              "uses a copy cut off from the graph (self.{name}.data, .detach(), .item()?). "
              "Use the parameter itself, corr2d(x, self.weight) + self.bias, so that the "
              "layer can learn.",
        "zh": "对 Conv2D 的输出做 backward() 后，{name} 没有得到梯度：前向计算用的是与计算图断开的"
              "副本（self.{name}.data、.detach()、.item()？）。请直接使用参数本身，"
              "corr2d(x, self.weight) + self.bias，这样层才能学习。",
    },
    "conv2d.init": {
        "en": "Conv2D's parameters do not start as torch.randn draws them: over {count} "
              "values of new layers' weight and bias, the mean is {mean:.3g} and the "
              "standard deviation {std:.3g}, expected about 0 and 1 (and a bias that differs "
              "from layer to layer). Draw both with torch.randn: "
              "nn.Parameter(torch.randn(kernel_size)) and nn.Parameter(torch.randn(1)).",
        "zh": "Conv2D 的参数初值不是按 torch.randn 的方式抽取的：在新建的层的 weight 和 bias 的 "
              "{count} 个值中，均值为 {mean:.3g}，标准差为 {std:.3g}，应约为 0 和 1（而且每个层的 "
              "bias 各不相同）。两者都请用 torch.randn 抽取："
              "nn.Parameter(torch.randn(kernel_size)) 和 nn.Parameter(torch.randn(1))。",
    },
    # -- corr2d_multi_in ---------------------------------------------------------------
    "corr2d_multi_in.stacked": {
        "en": "corr2d_multi_in returns shape {actual}, expected {expected}: it stacks the "
              "{channels} channels' cross-correlations (torch.stack) instead of adding them "
              "up. A multi-input-channel kernel gives one output channel: the sum over c of "
              "corr2d(X[c], K[c]).",
        "zh": "corr2d_multi_in 返回的形状是 {actual}，应为 {expected}：它把 {channels} 个通道的"
              "互相关结果堆叠了起来（torch.stack），而不是相加。多输入通道的核只给出一个输出通道："
              "对 c 求 corr2d(X[c], K[c]) 之和。",
    },
    "corr2d_multi_in.first_twice": {
        "en": "corr2d_multi_in counts channel 0 twice: res starts as corr2d(X[0], K[0]) and "
              "the loop adds channel 0 again. Start the loop at 1, "
              "for i in range(1, X.shape[0]), or start res at zero.",
        "zh": "corr2d_multi_in 把第 0 个通道算了两次：res 的初值已是 corr2d(X[0], K[0])，循环又把"
              "第 0 个通道加了一遍。请让循环从 1 开始，`for i in range(1, X.shape[0])`，"
              "或者让 res 从零开始。",
    },
    "corr2d_multi_in.first_only": {
        "en": "corr2d_multi_in returns channel 0's cross-correlation alone: the other "
              "channels are never added (is the return inside the loop, or the loop empty?).",
        "zh": "corr2d_multi_in 只返回了第 0 个通道的互相关结果：其他通道从未被加上"
              "（`return` 是不是写在了循环里，或者循环一次也没执行？）。",
    },
    "corr2d_multi_in.last_missing": {
        "en": "corr2d_multi_in leaves out the last channel: the loop stops one channel "
              "early. Loop up to X.shape[0]: range(1, X.shape[0]).",
        "zh": "corr2d_multi_in 漏掉了最后一个通道：循环提前一个通道就停止了。请循环到 "
              "X.shape[0]：range(1, X.shape[0])。",
    },
    "corr2d_multi_in.mean": {
        "en": "corr2d_multi_in averages the channels' cross-correlations: add them up "
              "instead (sum, not mean).",
        "zh": "corr2d_multi_in 对各通道的互相关结果求了平均：应当把它们相加（求和，而不是 "
              "`mean`）。",
    },
    # -- corr2d_multi_in_out -----------------------------------------------------------
    "corr2d_multi_in_out.summed": {
        "en": "corr2d_multi_in_out returns shape {actual}, expected {expected}: it adds up "
              "the output channels instead of stacking them. Each kernel K[o] gives its own "
              "output channel: torch.stack([corr2d_multi_in(X, k) for k in K]).",
        "zh": "corr2d_multi_in_out 返回的形状是 {actual}，应为 {expected}：它把各输出通道加了起来，"
              "而不是堆叠。每个核 K[o] 给出自己的输出通道："
              "`torch.stack([corr2d_multi_in(X, k) for k in K])`。",
    },
    "corr2d_multi_in_out.concatenated": {
        "en": "corr2d_multi_in_out returns shape {actual}, expected {expected}: torch.cat "
              "joins the output channels along an existing dimension. torch.stack puts them "
              "along a new dimension 0: torch.stack([corr2d_multi_in(X, k) for k in K]).",
        "zh": "corr2d_multi_in_out 返回的形状是 {actual}，应为 {expected}：torch.cat 沿已有的维度"
              "拼接各输出通道，而 torch.stack 沿新的第 0 维把它们叠起来："
              "`torch.stack([corr2d_multi_in(X, k) for k in K])`。",
    },
    "corr2d_multi_in_out.stack_dim": {
        "en": "corr2d_multi_in_out returns shape {actual}, expected {expected}: it stacks the "
              "output channels along dimension {dim}. The channels come first, dimension 0: "
              "torch.stack([...]) without dim=.",
        "zh": "corr2d_multi_in_out 返回的形状是 {actual}，应为 {expected}：它沿第 {dim} 维堆叠了"
              "各输出通道。通道应在最前面，即第 0 维：torch.stack([...]) 不要传 dim=。",
    },
    "corr2d_multi_in_out.one_channel": {
        "en": "corr2d_multi_in_out uses only input channel 0 of each kernel: each output "
              "channel is corr2d_multi_in(X, K[o]), over all the input channels.",
        "zh": "corr2d_multi_in_out 对每个核只用了第 0 个输入通道：每个输出通道是 "
              "corr2d_multi_in(X, K[o])，要用到全部输入通道。",
    },
    # -- pool2d ------------------------------------------------------------------------
    "pool2d.stride": {
        "en": "pool2d returns shape {actual}, expected {expected}: its windows of {pool_size} "
              "do not overlap (stride pool_size, as nn.MaxPool2d's default). This pool2d "
              "moves its window by one element, as corr2d does: Y[i, j] pools "
              "X[i: i + p_h, j: j + p_w], for n_h - p_h + 1 rows and n_w - p_w + 1 columns.",
        "zh": "pool2d 返回的形状是 {actual}，应为 {expected}：它的 {pool_size} 窗口互不重叠"
              "（步幅为 pool_size，像 nn.MaxPool2d 的默认值那样）。这里的 pool2d 像 corr2d 一样"
              "每次把窗口移动一个元素：Y[i, j] 对 X[i: i + p_h, j: j + p_w] 做池化，"
              "共 n_h - p_h + 1 行、n_w - p_w + 1 列。",
    },
    "pool2d.window": {
        "en": "pool2d pools windows of {window} instead of {pool_size}: each window is "
              "X[i: i + p_h, j: j + p_w], p_h rows and p_w columns (a slice's end is "
              "excluded).",
        "zh": "pool2d 池化的窗口是 {window}，而不是 {pool_size}：每个窗口是 "
              "X[i: i + p_h, j: j + p_w]，p_h 行、p_w 列（切片不含终点）。",
    },
    "pool2d.mode": {
        "en": "pool2d(X, pool_size, {mode!r}) computes the {other!r} pooling: take .max() "
              "of each window when mode == 'max' and .mean() when mode == 'avg'.",
        "zh": "pool2d(X, pool_size, {mode!r}) 算的是 {other!r} 池化：mode == 'max' 时取每个窗口的 "
              ".max()，mode == 'avg' 时取 .mean()。",
    },
    "pool2d.avg_sum": {
        "en": "pool2d(X, pool_size, 'avg') returns the sum of each window, {count} times the "
              "mean: take .mean() of the window, not .sum().",
        "zh": "pool2d(X, pool_size, 'avg') 返回的是每个窗口的和，是均值的 {count} 倍：请对窗口取 "
              ".mean()，而不是 .sum()。",
    },
    "pool2d.all_zero": {
        "en": "pool2d(X, pool_size, {mode!r}) returns only zeros: no branch wrote the "
              "windows' {mode!r} pooling into Y. Compare mode with the strings 'max' and "
              "'avg' exactly as written.",
        "zh": "pool2d(X, pool_size, {mode!r}) 只返回了零：没有哪个分支把窗口的 {mode!r} 池化结果"
              "写进 Y。请把 mode 与字符串 'max' 和 'avg' 原样比较。",
    },
    "pool2d.integer_input": {
        "en": "pool2d returns an integer tensor ({dtype}) for the book's integer X: the mean "
              "of a window of integers is not an integer in general. Convert X to float "
              "first, X = X.float(), as the book does, and create the output as a float "
              "tensor.",
        "zh": "对书中的整数 X，pool2d 返回了整数张量（{dtype}）：整数窗口的平均值一般不是整数。"
              "请像书中那样先把 X 转成浮点数，X = X.float()，并把输出创建为浮点张量。",
    },
    "pool2d.integer_mean": {
        "en": "{function} cannot take the mean of an integer window{where}: convert X to "
              "float first, X = X.float(), as the book does (its example uses integers).",
        "zh": "{function} 无法对整数窗口求均值{where}：请先把 X 转成浮点数，X = X.float()，"
              "与书中一样（书中的例子用的是整数）。",
    },
    # -- the names of the tests --------------------------------------------------------
    "test.cnn.test_corr2d_values": {
        "en": "corr2d slides the kernel, unflipped, over every position where it fits",
        "zh": "corr2d 把未翻转的核滑过它能放下的每个位置",
    },
    "test.cnn.test_corr2d_shapes": {
        "en": "corr2d's output is (n_h - k_h + 1, n_w - k_w + 1) for kernels of any shape",
        "zh": "对任意形状的核，corr2d 的输出形状为 (n_h - k_h + 1, n_w - k_w + 1)",
    },
    "test.cnn.test_corr2d_integer_example": {
        "en": "corr2d gives the book's [[19, 25], [37, 43]] for its integer example",
        "zh": "对书中的整数例子，corr2d 给出 [[19, 25], [37, 43]]",
    },
    "test.cnn.test_corr2d_gradient": {
        "en": "corr2d lets autograd reach X and K (Conv2D learns its kernel through it)",
        "zh": "自动求导能经由 corr2d 到达 X 和 K（Conv2D 靠它学习核）",
    },
    "test.cnn.test_corr2d_stays_on_device": {
        "en": "corr2d's right result is on the input's device",
        "zh": "corr2d 的正确结果在输入所在的设备上",
    },
    "test.cnn.test_conv2d_parameters": {
        "en": "Conv2D(kernel_size) registers weight (kernel_size) and bias (1,) as "
              "parameters",
        "zh": "Conv2D(kernel_size) 把 weight（形状 kernel_size）和 bias（形状 (1,)）登记为参数",
    },
    "test.cnn.test_conv2d_forward": {
        "en": "net(x) is corr2d(x, weight) + bias",
        "zh": "net(x) 等于 corr2d(x, weight) + bias",
    },
    "test.cnn.test_conv2d_gradient": {
        "en": "backward() through net(x) reaches weight and bias",
        "zh": "经由 net(x) 的 backward() 能到达 weight 和 bias",
    },
    "test.cnn.test_conv2d_random_start": {
        "en": "Conv2D's weight and bias start random, drawn as torch.randn draws them",
        "zh": "Conv2D 的 weight 和 bias 的初值是随机的，按 torch.randn 的方式抽取",
    },
    "test.cnn.test_conv2d_stays_on_device": {
        "en": "Conv2D moved to the input's device computes its right output there",
        "zh": "Conv2D 移到输入所在设备后，在该设备上算出正确的输出",
    },
    "test.cnn.test_corr2d_multi_in_values": {
        "en": "corr2d_multi_in adds up the cross-correlations of the c_i channels, each once",
        "zh": "corr2d_multi_in 把 c_i 个通道的互相关结果相加，每个通道只算一次",
    },
    "test.cnn.test_corr2d_multi_in_channels": {
        "en": "corr2d_multi_in works for one input channel and for several",
        "zh": "corr2d_multi_in 对一个输入通道和多个输入通道都正确",
    },
    "test.cnn.test_corr2d_multi_in_stays_on_device": {
        "en": "corr2d_multi_in's right result is on the input's device",
        "zh": "corr2d_multi_in 的正确结果在输入所在的设备上",
    },
    "test.cnn.test_corr2d_multi_in_out_values": {
        "en": "corr2d_multi_in_out stacks one output channel per kernel along dimension 0",
        "zh": "corr2d_multi_in_out 沿第 0 维为每个核堆叠一个输出通道",
    },
    "test.cnn.test_corr2d_multi_in_out_stays_on_device": {
        "en": "corr2d_multi_in_out's right result is on the input's device",
        "zh": "corr2d_multi_in_out 的正确结果在输入所在的设备上",
    },
    "test.cnn.test_pool2d_max": {
        "en": "pool2d(X, pool_size) takes the maximum of every window, at stride 1",
        "zh": "pool2d(X, pool_size) 以步幅 1 取每个窗口的最大值",
    },
    "test.cnn.test_pool2d_avg": {
        "en": "pool2d(X, pool_size, 'avg') takes the mean of every window, at stride 1",
        "zh": "pool2d(X, pool_size, 'avg') 以步幅 1 取每个窗口的平均值",
    },
    "test.cnn.test_pool2d_integer_example": {
        "en": "pool2d gives floats for the book's integer example, in both modes",
        "zh": "对书中的整数例子，pool2d 在两种模式下都给出浮点数",
    },
    "test.cnn.test_pool2d_stays_on_device": {
        "en": "pool2d's right result is on the input's device",
        "zh": "pool2d 的正确结果在输入所在的设备上",
    },
    # -- the feedback page's pictures ---------------------------------------------------
    "feedback.cnn.heading": {"en": "Convolution: the book's edge detection",
                             "zh": "卷积：书中的边缘检测"},
    "feedback.cnn.intro": {
        "en": "The book's 6 x 8 image of ones (white in the book) with a band of zeros "
              "(black) in the middle, cross-correlated with the kernel [[1, -1]]: the edge "
              "from 1 to 0 gives 1, the edge from 0 to 1 gives -1, and the rest 0. Then the "
              "book's edges pooled by 2 x 2 windows (max): each edge widens to two columns, "
              "so that it is still found after a shift of one pixel. In each picture: the "
              "input, the book's output, and yours.",
        "zh": "书中 6 x 8 的图像，全为 1（书中的白色），中间有一条 0 组成的带（黑色），与核 "
              "[[1, -1]] 做互相关运算：由 1 到 0 的边缘得到 1，由 0 到 1 的边缘得到 -1，其余为 0。"
              "然后用 2 x 2 的窗口对书中的"
              "边缘做最大池化：每条边缘变宽为两列，所以平移一个像素后仍能被检测到。每幅图中依次是："
              "输入、书中的输出、你的输出。",
    },
    "feedback.cnn.corr2d": {
        "en": "{call}, K = [[1, -1]]",
        "zh": "{call}，K = [[1, -1]]",
    },
    "feedback.cnn.pool2d": {
        "en": "{call} of the book's edges Y",
        "zh": "对书中的边缘 Y 做 {call}",
    },
    # -- the notebook ------------------------------------------------------------------
    "course.cnn.notes": {
        "en": "The cross-correlation of an input {X} with a kernel {K} of shape {k} is\n\n"
              "{corr}\n\nfor every position where the kernel fits: an output of shape "
              "{out}. With several input channels the channels' results are added; with "
              "several kernels each gives one output channel. Pooling takes the maximum or "
              "the mean of each window instead of its product with a kernel.",
        "zh": "输入 {X} 与形状为 {k} 的核 {K} 的互相关运算是\n\n{corr}\n\n"
              "对核能放下的每个位置各算一次：输出形状为 {out}。有多个输入通道时，把各通道的结果"
              "相加；有多个核时，每个核给出一个输出通道。池化则取每个窗口的最大值或平均值，"
              "而不是它与核的乘积。",
    },
    "course.cnn.intro": {"zh": """\
从零开始实现卷积和池化：互相关运算、卷积层与通道。

《动手学深度学习》“卷积神经网络”一章的“二维卷积层”“多输入通道和多输出通道”和“池化层”三节\
（1.0 版的 7.2、7.4 和 7.5 节；学习小组所用中文版的 5.1、5.3 和 5.4 节）。\
卷积层让一个小的核在输入上滑动，在每个位置取核与其下方窗口按元素相乘之和：\
同样几个权重用在所有位置，所以无论图案出现在哪里都能被检测到。\
池化以同样的方式滑动窗口，保留窗口的最大值或平均值，使检测对小的平移不那么敏感。

本作业的规则：循环（或任何张量运算）由你自己写；不要调用 \
torch.nn.functional.conv2d、nn.Conv2d、torch.nn.functional 中的池化函数，\
也不要调用 nn.MaxPool2d / nn.AvgPool2d。"""},
    "course.cnn.corr2d.doc": {"zh": """\
X 与核 K 的二维互相关运算（步幅 1，无填充）。

对形状为 (h, w) 的 K，Y[i, j] = (X[i: i + h, j: j + w] * K).sum()：核原样放在窗口上，\
不翻转。（数学意义上的卷积要先翻转核；深度学习把互相关运算称为“卷积”，因为核是学出来的，\
这样称呼并无妨碍。）核能完整放下的每个位置给出一个输出，所以输出在每个方向上比输入小 \
核的尺寸减一。

参数：
    X: 形状为 (n_h, n_w) 的输入，float32（书中的例子用整数，它们必须给出与浮点数相同的值），\
任意设备。
    K: 形状为 (k_h, k_w) 的核，k_h <= n_h 且 k_w <= n_w，与 X 在同一设备上。

返回：
    形状为 (n_h - k_h + 1, n_w - k_w + 1)、位于 X 所在设备上的张量；对 float32 的 X 是 float32\
（绝不是整数 dtype，否则写进去的每个值都会被截断）；对书中的整数例子，给出相同的值，\
浮点数（书中是 float32）或整数都可以。自动求导必须能经由它到达 X 和 K（Conv2D 靠它学习核）。\
不修改 X 和 K。"""},
    "course.cnn.Conv2D.doc": {"zh": """\
二维卷积层：corr2d(x, weight) + bias。

它的模型参数是核和一个标量偏差，用梯度下降学习（书中就是这样从一幅图像及其边缘学出边缘\
检测核 [[1, -1]] 的）。只有在 super().__init__() 之后赋给属性的 nn.Parameter 才会成为层的\
参数：它会出现在 net.parameters() 中（优化器更新的正是这些），也会被 net.to(device) 移动；\
普通张量即使 requires_grad=True 也不行。

参数：
    kernel_size: 核的形状 (k_h, k_w)，由两个 int 组成的元组。

属性：
    weight: 形状为 kernel_size 的 nn.Parameter，随机初始化（torch.randn）。
    bias: 形状为 (1,) 的 nn.Parameter，随机初始化（torch.randn）。"""},
    "course.cnn.Conv2D.__init__.doc": {"zh": """\
创建参数 self.weight 和 self.bias（先调用 super().__init__()）。"""},
    "course.cnn.Conv2D.forward.doc": {"zh": """\
corr2d(x, self.weight) + self.bias。

参数：
    x: 形状为 (n_h, n_w) 的输入，float32，与层在同一设备上。

返回：
    形状为 (n_h - k_h + 1, n_w - k_w + 1) 的张量，自动求导能经由它到达 weight 和 bias。"""},
    "course.cnn.corr2d_multi_in.doc": {"zh": """\
多通道输入与多通道核的互相关运算。

每个输入通道 X[c] 与它自己的核通道 K[c] 做互相关运算，再把这 c_i 个结果相加：\
无论有多少输入通道，都只得到一个输出通道。（书中例子的两个通道的 corr2d 分别是 \
[[19, 25], [37, 43]] 和 [[37, 47], [67, 77]]，它们的和是 [[56, 72], [104, 120]]。）

参数：
    X: 形状为 (c_i, n_h, n_w) 的输入，float32，任意设备。
    K: 形状为 (c_i, k_h, k_w) 的核，与 X 在同一设备上。

返回：
    形状为 (n_h - k_h + 1, n_w - k_w + 1)、float32、位于 X 所在设备上的张量：对 c 求 \
corr2d(X[c], K[c]) 之和，每个通道只算一次。不修改 X 和 K。"""},
    "course.cnn.corr2d_multi_in_out.doc": {"zh": """\
用 c_o 个核做互相关运算：每个核对应一个输出通道。

第 o 个输出通道是 corr2d_multi_in(X, K[o])；这 c_o 个通道沿新的第 0 维堆叠起来\
（torch.stack），既不相加，也不拼接。

参数：
    X: 形状为 (c_i, n_h, n_w) 的输入，float32，任意设备。
    K: 形状为 (c_o, c_i, k_h, k_w) 的核，与 X 在同一设备上。

返回：
    形状为 (c_o, n_h - k_h + 1, n_w - k_w + 1)、float32、位于 X 所在设备上的张量。\
不修改 X 和 K。"""},
    "course.cnn.pool2d.doc": {"zh": """\
二维最大池化或平均池化，步幅 1，无填充。

形状为 pool_size 的窗口像 corr2d 的核一样每次在 X 上移动一个元素，所以相邻的窗口相互重叠\
（nn.MaxPool2d 的默认步幅则等于窗口大小：那是另一种层）。每个输出是其窗口中 p_h * p_w 个\
元素的最大值（mode='max'）或平均值（mode='avg'）。

参数：
    X: 形状为 (n_h, n_w) 的输入，float32（书中的例子用整数，它们必须给出与浮点数相同的值），\
任意设备。
    pool_size: 窗口的形状 (p_h, p_w)，由两个 int 组成的元组。
    mode: 'max' 或 'avg'。

返回：
    形状为 (n_h - p_h + 1, n_w - p_w + 1)、位于 X 所在设备上的张量，float32，对 float32 的 X \
和书中的整数例子都是如此（整数的平均值一般不是整数：请像书中那样先用 X.float() 转换 X）。\
不修改 X。"""},
}

KNOWN_ERRORS = [
    # A window cut short at the edge (an output one row or column too large) no longer
    # matches K's shape.
    ("corr2d", "must match the size of tensor b", "corr2d.window_past_end"),
    # The mean of an integer tensor (the book's example) without X.float() first.
    ("pool2d", "could not infer output dtype", "pool2d.integer_mean"),
    ("Conv2D", "before Module.__init__() call", "conv2d.no_super_init"),
    # corr2d(self.weight, x): the kernel larger than the "input", a negative output size.
    ("Conv2D", "Dimension size must be non-negative", "conv2d.arguments_swapped"),
    ("Conv2D", "negative dimension", "conv2d.arguments_swapped"),
]

MISTAKES = [
    Mistake(name="corr2d-one-short", function="corr2d", key="cnn.off_by_one", code='''
def corr2d(X, K):
    h, w = K.shape
    Y = torch.zeros((X.shape[0] - h, X.shape[1] - w), device=X.device)
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i: i + h, j: j + w] * K).sum()
    return Y
'''),
    Mistake(name="corr2d-past-the-edge", function="corr2d", key="corr2d.window_past_end",
            code='''
def corr2d(X, K):
    h, w = K.shape
    Y = torch.zeros((X.shape[0] - h + 2, X.shape[1] - w + 2), device=X.device)
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i: i + h, j: j + w] * K).sum()
    return Y
'''),
    Mistake(name="corr2d-flipped", function="corr2d", key="corr2d.flipped", code='''
def corr2d(X, K):
    h, w = K.shape
    K = torch.flip(K, [0, 1])
    Y = torch.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1), device=X.device)
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i: i + h, j: j + w] * K).sum()
    return Y
'''),
    Mistake(name="corr2d-integer", function="corr2d", key="cnn.integer_output", code='''
def corr2d(X, K):
    h, w = K.shape
    Y = torch.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1), dtype=torch.long,
                    device=X.device)
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i: i + h, j: j + w] * K).sum()
    return Y
'''),
    Mistake(name="corr2d-last-row-missing", function="corr2d", key="cnn.missing_windows",
            code='''
def corr2d(X, K):
    h, w = K.shape
    Y = torch.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1), device=X.device)
    for i in range(Y.shape[0] - 1):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i: i + h, j: j + w] * K).sum()
    return Y
'''),
    Mistake(name="corr2d-item", function="corr2d", key="corr2d.no_grad", code='''
def corr2d(X, K):
    h, w = K.shape
    Y = torch.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1), device=X.device)
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i: i + h, j: j + w] * K).sum().item()
    return Y
'''),
    Mistake(name="conv2d-plain-tensors", function="Conv2D", key="conv2d.unregistered",
            code='''
class Conv2D(nn.Module):
    def __init__(self, kernel_size):
        super().__init__()
        self.weight = torch.randn(kernel_size, requires_grad=True)
        self.bias = torch.randn(1, requires_grad=True)

    def forward(self, x):
        return corr2d(x, self.weight) + self.bias
'''),
    Mistake(name="conv2d-no-bias", function="Conv2D", key="conv2d.no_bias", code='''
class Conv2D(nn.Module):
    def __init__(self, kernel_size):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(kernel_size))
        self.bias = nn.Parameter(torch.randn(1))

    def forward(self, x):
        return corr2d(x, self.weight)
'''),
    Mistake(name="conv2d-weight-data", function="Conv2D", key="conv2d.no_grad", code='''
class Conv2D(nn.Module):
    def __init__(self, kernel_size):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(kernel_size))
        self.bias = nn.Parameter(torch.randn(1))

    def forward(self, x):
        return corr2d(x, self.weight.data) + self.bias
'''),
    Mistake(name="conv2d-swapped", function="Conv2D", key="conv2d.arguments_swapped",
            code='''
class Conv2D(nn.Module):
    def __init__(self, kernel_size):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(kernel_size))
        self.bias = nn.Parameter(torch.randn(1))

    def forward(self, x):
        return corr2d(self.weight, x) + self.bias
'''),
    Mistake(name="conv2d-super-late", function="Conv2D", key="conv2d.no_super_init", code='''
class Conv2D(nn.Module):
    def __init__(self, kernel_size):
        self.weight = nn.Parameter(torch.randn(kernel_size))
        self.bias = nn.Parameter(torch.randn(1))
        super().__init__()

    def forward(self, x):
        return corr2d(x, self.weight) + self.bias
'''),
    Mistake(name="conv2d-uniform-start", function="Conv2D", key="conv2d.init", code='''
class Conv2D(nn.Module):
    def __init__(self, kernel_size):
        super().__init__()
        self.weight = nn.Parameter(torch.rand(kernel_size))
        self.bias = nn.Parameter(torch.zeros(1))

    def forward(self, x):
        return corr2d(x, self.weight) + self.bias
'''),
    Mistake(name="multi-in-channel-0-twice", function="corr2d_multi_in",
            key="corr2d_multi_in.first_twice", code='''
def corr2d_multi_in(X, K):
    res = corr2d(X[0, :, :], K[0, :, :])
    for i in range(X.shape[0]):
        res += corr2d(X[i, :, :], K[i, :, :])
    return res
'''),
    Mistake(name="multi-in-stack", function="corr2d_multi_in", key="corr2d_multi_in.stacked",
            code='''
def corr2d_multi_in(X, K):
    return torch.stack([corr2d(x, k) for x, k in zip(X, K)])
'''),
    Mistake(name="multi-in-return-in-loop", function="corr2d_multi_in",
            key="corr2d_multi_in.first_only", code='''
def corr2d_multi_in(X, K):
    res = 0
    for i in range(X.shape[0]):
        res = res + corr2d(X[i], K[i])
        return res
'''),
    Mistake(name="multi-in-out-sum", function="corr2d_multi_in_out",
            key="corr2d_multi_in_out.summed", code='''
def corr2d_multi_in_out(X, K):
    return sum(corr2d_multi_in(X, k) for k in K)
'''),
    Mistake(name="multi-in-out-stack-dim-1", function="corr2d_multi_in_out",
            key="corr2d_multi_in_out.stack_dim", code='''
def corr2d_multi_in_out(X, K):
    return torch.stack([corr2d_multi_in(X, k) for k in K], dim=1)
'''),
    Mistake(name="corr2d-zeros-like", function="corr2d", key="cnn.input_shape", code='''
def corr2d(X, K):
    h, w = K.shape
    Y = torch.zeros_like(X)
    for i in range(X.shape[0] - h + 1):
        for j in range(X.shape[1] - w + 1):
            Y[i, j] = (X[i: i + h, j: j + w] * K).sum()
    return Y
'''),
    Mistake(name="corr2d-flipped-left-right", function="corr2d", key="corr2d.flipped",
            code='''
def corr2d(X, K):
    h, w = K.shape
    Y = torch.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1), device=X.device)
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i: i + h, j: j + w] * torch.fliplr(K)).sum()
    return Y
'''),
    Mistake(name="multi-in-out-cat", function="corr2d_multi_in_out",
            key="corr2d_multi_in_out.concatenated", code='''
def corr2d_multi_in_out(X, K):
    return torch.cat([corr2d_multi_in(X, k) for k in K])
'''),
    Mistake(name="pool2d-stride-pool-size", function="pool2d", key="pool2d.stride", code='''
def pool2d(X, pool_size, mode='max'):
    X = X.float()
    p_h, p_w = pool_size
    Y = torch.zeros(X.shape[0] // p_h, X.shape[1] // p_w, device=X.device)
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            window = X[i * p_h: (i + 1) * p_h, j * p_w: (j + 1) * p_w]
            Y[i, j] = window.max() if mode == 'max' else window.mean()
    return Y
'''),
    Mistake(name="pool2d-window-too-large", function="pool2d", key="pool2d.window", code='''
def pool2d(X, pool_size, mode='max'):
    X = X.float()
    p_h, p_w = pool_size
    Y = torch.zeros(X.shape[0] - p_h + 1, X.shape[1] - p_w + 1, device=X.device)
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            if mode == 'max':
                Y[i, j] = X[i: i + p_h + 1, j: j + p_w + 1].max()
            elif mode == 'avg':
                Y[i, j] = X[i: i + p_h + 1, j: j + p_w + 1].mean()
    return Y
'''),
    Mistake(name="pool2d-avg-sum", function="pool2d", key="pool2d.avg_sum", code='''
def pool2d(X, pool_size, mode='max'):
    X = X.float()
    p_h, p_w = pool_size
    Y = torch.zeros(X.shape[0] - p_h + 1, X.shape[1] - p_w + 1, device=X.device)
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            if mode == 'max':
                Y[i, j] = X[i: i + p_h, j: j + p_w].max()
            elif mode == 'avg':
                Y[i, j] = X[i: i + p_h, j: j + p_w].sum()
    return Y
'''),
    Mistake(name="pool2d-integer", function="pool2d", key="cnn.integer_output", code='''
def pool2d(X, pool_size, mode='max'):
    p_h, p_w = pool_size
    Y = torch.zeros(X.shape[0] - p_h + 1, X.shape[1] - p_w + 1, dtype=torch.int64,
                    device=X.device)
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            if mode == 'max':
                Y[i, j] = X[i: i + p_h, j: j + p_w].max()
            elif mode == 'avg':
                Y[i, j] = X[i: i + p_h, j: j + p_w].float().mean()
    return Y
'''),
    Mistake(name="pool2d-no-float", function="pool2d", key="pool2d.integer_mean", code='''
def pool2d(X, pool_size, mode='max'):
    p_h, p_w = pool_size
    Y = torch.zeros(X.shape[0] - p_h + 1, X.shape[1] - p_w + 1, device=X.device)
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            if mode == 'max':
                Y[i, j] = X[i: i + p_h, j: j + p_w].max()
            elif mode == 'avg':
                Y[i, j] = X[i: i + p_h, j: j + p_w].mean()
    return Y
'''),
]

FORMULAS = {
    "X": r"$\mathbf{X}$",
    "K": r"$\mathbf{K}$",
    "k": r"$k_h \times k_w$",
    "corr": r"$$Y_{i,j} = \sum_{a=0}^{k_h-1} \sum_{b=0}^{k_w-1} X_{i+a,\,j+b}\, K_{a,b}$$",
    "out": r"$(n_h - k_h + 1) \times (n_w - k_w + 1)$",
}

FUNCTION_FORMULAS = {
    "corr2d": r"$Y_{i,j} = \sum_{a,b} X_{i+a,\,j+b}\, K_{a,b}$",
    "corr2d_multi_in": r"$Y = \sum_{c} \mathrm{corr2d}(X_c, K_c)$",
    "corr2d_multi_in_out": r"$Y_o = \sum_{c} \mathrm{corr2d}(X_c, K_{o,c})$",
    "pool2d": r"$Y_{i,j} = \max_{a < p_h,\, b < p_w} X_{i+a,\,j+b}$, "
              r"$Y_{i,j} = \frac{1}{p_h p_w} \sum_{a < p_h,\, b < p_w} X_{i+a,\,j+b}$",
}
