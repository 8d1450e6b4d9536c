"""batch_normalization: what the grader says about batch_norm and BatchNorm, in English and
Chinese, the errors it recognises, the classic mistakes, and the notebook's formulas."""

from autograder.registry import Mistake

MESSAGES = {
    # -- batch_norm --------------------------------------------------------------------
    "batch_norm.not_triple": {
        "en": "batch_norm returned {actual}; it returns three tensors, (Y, moving_mean, "
              "moving_var), so that the layer can keep the new moving averages.",
        "zh": "batch_norm 返回了 {actual}；它应返回三个张量 (Y, moving_mean, moving_var)，"
              "这样层才能保存新的移动平均。",
    },
    "batch_norm.per_example": {
        "en": "batch_norm standardises each example with its own mean and variance: the "
              "statistics are taken over the features instead of over the examples. Take "
              "them per feature (per channel), over dimensions {dims}: X.mean(dim=0) for a "
              "2-d X, X.mean(dim=(0, 2, 3), keepdim=True) for a 4-d X.",
        "zh": "batch_norm 用每个样本自己的均值和方差做标准化：统计量是在特征上求的，而不是在样本上。"
              "请按特征（按通道）在维度 {dims} 上求：2 维的 X 用 X.mean(dim=0)，4 维的 X 用 "
              "X.mean(dim=(0, 2, 3), keepdim=True)。",
    },
    "batch_norm.per_position": {
        "en": "batch_norm takes a mean and a variance per channel and position, over the "
              "examples only: after a convolution each channel has one mean and one variance, "
              "over the examples and every position, X.mean(dim=(0, 2, 3), keepdim=True).",
        "zh": "batch_norm 对每个通道的每个位置分别求均值和方差，只在样本上求：卷积之后每个通道只有"
              "一个均值和一个方差，要在样本和所有位置上求，X.mean(dim=(0, 2, 3), keepdim=True)。",
    },
    "batch_norm.whole_batch": {
        "en": "batch_norm takes one mean and one variance over the whole batch, all channels "
              "together: each channel has its own, over dimensions 0, 2 and 3, "
              "X.mean(dim=(0, 2, 3), keepdim=True).",
        "zh": "batch_norm 对整个批量（所有通道合在一起）只求了一个均值和一个方差：每个通道有自己的"
              "统计量，在维度 0、2、3 上求，X.mean(dim=(0, 2, 3), keepdim=True)。",
    },
    "batch_norm.unbiased": {
        "en": "batch_norm uses the unbiased variance {where}, which divides by one less than "
              "the number of elements (torch.var's default): batch normalisation uses the "
              "biased one, ((X - mean) ** 2).mean(...), or X.var(..., unbiased=False).",
        "zh": "batch_norm {where}用的是无偏方差，它除以元素个数减一（torch.var 的默认做法）：批量归一化"
              "用有偏方差，`((X - mean) ** 2).mean(...)`，或 X.var(..., unbiased=False)。",
    },
    "batch_norm.in_y": {"en": "to normalise X", "zh": "在标准化 X 时"},
    "batch_norm.in_moving_var": {"en": "in moving_var", "zh": "在 moving_var 中"},
    "batch_norm.moving_in_training": {
        "en": "batch_norm(True, ...) normalises with the moving averages: in training mode it "
              "uses the statistics of the current batch (and then moves the averages towards "
              "them); the moving averages are for prediction.",
        "zh": "batch_norm(True, ...) 用移动平均做标准化：训练模式下应使用当前批量的统计量"
              "（然后让移动平均向它们移动）；移动平均是预测时用的。",
    },
    "batch_norm.eps": {
        "en": "batch_norm does not add eps = {eps:g} to the variance under the square root: "
              "X_hat = (X - mean) / torch.sqrt(var + eps).",
        "zh": "batch_norm 没有在平方根内把 eps = {eps:g} 加到方差上："
              "`X_hat = (X - mean) / torch.sqrt(var + eps)`。",
    },
    "batch_norm.momentum": {
        "en": "batch_norm updates {name} with PyTorch's convention, (1 - momentum) * old + "
              "momentum * batch: the book's momentum ({momentum:g}) is the old average's "
              "share, {name} = momentum * {name} + (1 - momentum) * batch statistic.",
        "zh": "batch_norm 按 PyTorch 的约定更新 {name}，即 (1 - momentum) * 旧值 + momentum * "
              "批量统计量：书中的 momentum（{momentum:g}）是旧的平均值所占的份额，"
              "{name} = momentum * {name} + (1 - momentum) * 批量统计量。",
    },
    "batch_norm.batch_statistic_returned": {
        "en": "batch_norm returns the batch's own statistic as {name}: it returns the moving "
              "average, moved towards it, {name} = momentum * {name} + (1 - momentum) * "
              "batch statistic.",
        "zh": "batch_norm 把批量自身的统计量当作 {name} 返回了：应返回向它移动后的移动平均，"
              "{name} = momentum * {name} + (1 - momentum) * 批量统计量。",
    },
    "batch_norm.not_updated": {
        "en": "batch_norm(True, ...) returns {name} unchanged: in training mode it moves the "
              "average towards the batch's statistic and returns the new value.",
        "zh": "batch_norm(True, ...) 原样返回了 {name}：训练模式下要让移动平均向批量的统计量移动，"
              "并返回新值。",
    },
    "batch_norm.no_keepdim": {
        "en": "batch_norm cannot subtract the channels' mean from X{where}: the mean of a 4-d "
              "X over dimensions 0, 2 and 3 must keep them, shape (1, c, 1, 1), to broadcast "
              "along the channels: X.mean(dim=(0, 2, 3), keepdim=True).",
        "zh": "batch_norm 无法从 X 中减去各通道的均值{where}：4 维的 X 在维度 0、2、3 上的均值必须"
              "保留这些维度，形状为 (1, c, 1, 1)，才能沿通道广播：X.mean(dim=(0, 2, 3), keepdim=True)。",
    },
    "batch_norm.batch_statistics_in_prediction": {
        "en": "batch_norm(False, ...) normalises with the batch's own statistics: in "
              "prediction mode it uses the moving averages, X_hat = (X - moving_mean) / "
              "torch.sqrt(moving_var + eps), so that a prediction does not depend on the "
              "other examples of its batch.",
        "zh": "batch_norm(False, ...) 用批量自身的统计量做标准化：预测模式下应使用移动平均，"
              "X_hat = (X - moving_mean) / torch.sqrt(moving_var + eps)，这样预测结果才不取决于"
              "同一批量中的其他样本。",
    },
    "batch_norm.updated_in_prediction": {
        "en": "batch_norm(False, ...) changes {name}: in prediction mode the moving averages "
              "are returned as they were passed in.",
        "zh": "batch_norm(False, ...) 改变了 {name}：预测模式下移动平均应原样返回。",
    },
    "batch_norm.y_detached": {
        "en": "batch_norm's Y is not tracked by autograd, so no gradient reaches X, gamma "
              "or beta: compute it from X, gamma and beta themselves (no .detach(), .data "
              "or torch.no_grad() on the way to Y).",
        "zh": "batch_norm 的 Y 没有被自动求导追踪，所以梯度无法到达 X、gamma 和 beta："
              "请直接由 X、gamma 和 beta 计算它（通往 Y 的路上不要用 .detach()、.data 或 "
              "torch.no_grad()）。",
    },
    "batch_norm.attached": {
        "en": "batch_norm returns {names} attached to autograd's graph: they are running "
              "statistics, not results to differentiate, and the layer that keeps them "
              "keeps every batch's graph alive with them (copy.deepcopy(net) then fails). "
              "Update them from mean.detach() and var.detach(), or return them detached.",
        "zh": "batch_norm 返回的 {names} 仍连在自动求导的计算图上：它们是滑动统计量，不是要求导的"
              "结果，保存它们的层会连带让每个批量的计算图一直留在内存中（copy.deepcopy(net) 也会"
              "失败）。请用 mean.detach() 和 var.detach() 更新它们，或者返回分离后的张量。",
    },
    # -- BatchNorm ---------------------------------------------------------------------
    "batch_norm_layer.not_module": {
        "en": "BatchNorm(num_features, num_dims) gave {actual}, not an nn.Module: BatchNorm "
              "must be a class that subclasses nn.Module (class BatchNorm(nn.Module): ...).",
        "zh": "BatchNorm(num_features, num_dims) 得到的是 {actual}，而不是 nn.Module：BatchNorm "
              "必须是 nn.Module 的子类（`class BatchNorm(nn.Module): ...`）。",
    },
    "batch_norm_layer.no_super_init": {
        "en": "BatchNorm.__init__ assigns a parameter before calling super().__init__()"
              "{where}: nn.Module sets up the bookkeeping that registers parameters there, "
              "so call it first.",
        "zh": "BatchNorm.__init__ 在调用 super().__init__() 之前就给参数赋值了{where}：nn.Module "
              "在那里建立登记参数的机制，所以要先调用它。",
    },
    "batch_norm_layer.moving_trained": {
        "en": "BatchNorm makes {names} a trainable nn.Parameter: the moving averages are "
              "not learned by gradient descent (an optimiser would change them). Keep them "
              "as plain tensors, or buffers: self.register_buffer('moving_mean', ...).",
        "zh": "BatchNorm 把 {names} 做成了可训练的 nn.Parameter：移动平均不是用梯度下降学出来的"
              "（优化器会改变它们）。请把它们保存为普通张量或缓冲区："
              "self.register_buffer('moving_mean', ...)。",
    },
    "batch_norm_layer.missing_parameter": {
        "en": "BatchNorm has no trainable parameter named {names} (its parameters: {found}): "
              "the scale is self.gamma and the shift self.beta, both nn.Parameter.",
        "zh": "BatchNorm 没有名为 {names} 的可训练参数（它的参数：{found}）：拉伸参数是 "
              "self.gamma，偏移参数是 self.beta，两者都是 nn.Parameter。",
    },
    "batch_norm_layer.extra": {
        "en": "BatchNorm has trainable parameters besides gamma and beta: {names}.",
        "zh": "BatchNorm 除了 gamma 和 beta 之外还有其他可训练参数：{names}。",
    },
    "batch_norm_layer.shape": {
        "en": "BatchNorm({num_features}, {num_dims}).{name} has shape {actual}, expected "
              "{expected}: (1, num_features) after a fully connected layer (num_dims 2), "
              "(1, num_features, 1, 1) after a convolutional one (num_dims 4), so that it "
              "broadcasts along the features or channels.",
        "zh": "BatchNorm({num_features}, {num_dims}).{name} 的形状是 {actual}，应为 {expected}："
              "全连接层之后（num_dims 为 2）是 (1, num_features)，卷积层之后（num_dims 为 4）是 "
              "(1, num_features, 1, 1)，这样才能沿特征或通道广播。",
    },
    "batch_norm_layer.gamma_start": {
        "en": "BatchNorm's gamma does not start at ones: torch.ones(shape), so that a new "
              "layer leaves the standardised values as they are.",
        "zh": "BatchNorm 的 gamma 初值不是全 1：请用 torch.ones(shape)，这样新建的层不改变标准化后的值。",
    },
    "batch_norm_layer.beta_start": {
        "en": "BatchNorm's beta does not start at zeros: torch.zeros(shape).",
        "zh": "BatchNorm 的 beta 初值不是全 0：请用 torch.zeros(shape)。",
    },
    "batch_norm_layer.no_moving": {
        "en": "BatchNorm has no tensor named {names} of the right size: keep the moving "
              "averages as self.moving_mean and self.moving_var, of gamma's shape, and "
              "store the new ones batch_norm returns.",
        "zh": "BatchNorm 没有大小正确、名为 {names} 的张量：请把移动平均保存为 self.moving_mean 和 "
              "self.moving_var，形状与 gamma 相同，并保存 batch_norm 返回的新值。",
    },
    "batch_norm_layer.mean_start": {
        "en": "BatchNorm's moving_mean does not start at zeros: torch.zeros(shape).",
        "zh": "BatchNorm 的 moving_mean 初值不是全 0：请用 torch.zeros(shape)。",
    },
    "batch_norm_layer.var_zeros": {
        "en": "BatchNorm's moving_var starts at zeros: a new layer in prediction mode then "
              "divides by sqrt(0 + eps), about 0.003, and multiplies its inputs by about 300. "
              "Start it at ones, torch.ones(shape), the variance of standardised values (as "
              "PyTorch's nn.BatchNorm2d and the book's later edition do).",
        "zh": "BatchNorm 的 moving_var 初值是全 0：新建的层在预测模式下会除以 sqrt(0 + eps)，"
              "约 0.003，把输入放大约 300 倍。请让它从全 1 开始，torch.ones(shape)，即标准化后的值的"
              "方差（PyTorch 的 nn.BatchNorm2d 和书的新版都是这样）。",
    },
    "batch_norm_layer.var_start": {
        "en": "BatchNorm's moving_var does not start at ones: torch.ones(shape), the "
              "variance of standardised values.",
        "zh": "BatchNorm 的 moving_var 初值不是全 1：请用 torch.ones(shape)，即标准化后的值的方差。",
    },
    "batch_norm_layer.device": {
        "en": "BatchNorm's moving averages stay on the CPU while X is on another device: "
              "net.to(device) moves parameters and buffers, not plain tensor attributes. "
              "In forward, move them first, self.moving_mean = self.moving_mean.to(X.device) "
              "(and moving_var), or make them buffers with self.register_buffer.",
        "zh": "X 在其他设备上时，BatchNorm 的移动平均仍留在 CPU 上：net.to(device) 只移动参数和"
              "缓冲区，不移动普通的张量属性。请在 forward 中先移动它们，"
              "self.moving_mean = self.moving_mean.to(X.device)（moving_var 也一样），或者用 "
              "self.register_buffer 把它们登记为缓冲区。",
    },
    "batch_norm_layer.training_flag": {
        "en": "After net.eval(), BatchNorm still normalises with the batch's statistics: pass "
              "self.training to batch_norm (True after net.train(), False after net.eval()), "
              "not a constant.",
        "zh": "调用 net.eval() 之后，BatchNorm 仍用批量的统计量做标准化：请把 self.training 传给 "
              "batch_norm（net.train() 之后为 True，net.eval() 之后为 False），而不是一个常量。",
    },
    "batch_norm_layer.predicts_in_training": {
        "en": "In training mode BatchNorm normalises with the moving averages: pass "
              "self.training to batch_norm, which is True while the network trains.",
        "zh": "训练模式下 BatchNorm 用移动平均做标准化：请把 self.training 传给 batch_norm，"
              "网络训练时它为 True。",
    },
    "batch_norm_layer.attached": {
        "en": "BatchNorm keeps moving averages that autograd tracks: store them detached "
              "(batch_norm's moving averages, or .detach() of them).",
        "zh": "BatchNorm 保存的移动平均被自动求导追踪着：请保存分离后的张量（batch_norm 返回的移动平均，"
              "或对它们调用 .detach()）。",
    },
    "batch_norm_layer.not_kept": {
        "en": "BatchNorm does not keep the {name} that batch_norm returns: assign them, "
              "Y, self.moving_mean, self.moving_var = batch_norm(...), so that prediction "
              "uses the averages over the training batches.",
        "zh": "BatchNorm 没有保存 batch_norm 返回的 {name}：请赋值 "
              "Y, self.moving_mean, self.moving_var = batch_norm(...)，这样预测时才会用到训练批量上的"
              "移动平均。",
    },
    "batch_norm_layer.momentum": {
        "en": "BatchNorm passes momentum={momentum:g} (PyTorch's number) to batch_norm, "
              "whose momentum is the old average's share: pass eps=1e-5, momentum=0.9.",
        "zh": "BatchNorm 把 momentum={momentum:g}（PyTorch 的取值）传给了 batch_norm，而 batch_norm "
              "的 momentum 是旧平均值所占的份额：请传 eps=1e-5, momentum=0.9。",
    },
    "batch_norm_layer.arguments_swapped": {
        "en": "BatchNorm passes eps and momentum to batch_norm the other way round: its "
              "arguments end with eps, then momentum; pass them by name, eps=1e-5, "
              "momentum=0.9.",
        "zh": "BatchNorm 传给 batch_norm 的 eps 和 momentum 顺序反了：它的参数最后是 eps，然后是 "
              "momentum；请按名字传入，eps=1e-5, momentum=0.9。",
    },
    "batch_norm_layer.updated_in_prediction": {
        "en": "After net.eval(), BatchNorm still changes {name}: prediction leaves the "
              "moving averages as they are.",
        "zh": "调用 net.eval() 之后，BatchNorm 仍在改变 {name}：预测时移动平均保持不变。",
    },
    # -- the names of the tests --------------------------------------------------------
    "test.batch_normalization.test_batch_norm_fully_connected": {
        "en": "batch_norm(True, X, ...) standardises each feature of a 2-d X and moves the "
              "averages",
        "zh": "batch_norm(True, X, ...) 对 2 维 X 的每个特征做标准化，并更新移动平均",
    },
    "test.batch_normalization.test_batch_norm_convolutional": {
        "en": "batch_norm(True, X, ...) standardises each channel of a 4-d X over examples "
              "and positions",
        "zh": "batch_norm(True, X, ...) 在样本和位置上对 4 维 X 的每个通道做标准化",
    },
    "test.batch_normalization.test_batch_norm_prediction": {
        "en": "batch_norm(False, X, ...) uses the moving averages and leaves them as they are",
        "zh": "batch_norm(False, X, ...) 使用移动平均，并保持它们不变",
    },
    "test.batch_normalization.test_batch_norm_moving_averages_detached": {
        "en": "batch_norm returns Y tracked by autograd and the moving averages detached "
              "from it",
        "zh": "batch_norm 返回被自动求导追踪的 Y，以及与计算图分离的移动平均",
    },
    "test.batch_normalization.test_batch_norm_stays_on_device": {
        "en": "batch_norm's right results are on the input's device, in both modes",
        "zh": "两种模式下，batch_norm 的正确结果都在输入所在的设备上",
    },
    "test.batch_normalization.test_batch_norm_layer_parameters": {
        "en": "BatchNorm holds gamma (ones) and beta (zeros) as parameters, and the moving "
              "averages",
        "zh": "BatchNorm 以 gamma（全 1）和 beta（全 0）为参数，并保存移动平均",
    },
    "test.batch_normalization.test_batch_norm_layer_moving_averages_start": {
        "en": "BatchNorm's moving_mean starts at zeros and its moving_var at ones",
        "zh": "BatchNorm 的 moving_mean 初值为全 0，moving_var 初值为全 1",
    },
    "test.batch_normalization.test_batch_norm_layer_training": {
        "en": "In training mode, net(X) normalises with the batch's statistics and keeps "
              "the averages",
        "zh": "训练模式下，net(X) 用批量的统计量做标准化，并保存移动平均",
    },
    "test.batch_normalization.test_batch_norm_layer_prediction": {
        "en": "After net.eval(), net(X) normalises with the moving averages and leaves them "
              "alone",
        "zh": "调用 net.eval() 之后，net(X) 用移动平均做标准化，并保持它们不变",
    },
    "test.batch_normalization.test_batch_norm_layer_stays_on_device": {
        "en": "BatchNorm moved to the input's device trains and predicts there",
        "zh": "BatchNorm 移到输入所在设备后，在该设备上训练和预测",
    },
    # -- the feedback page's pictures ---------------------------------------------------
    "feedback.batch_normalization.heading": {
        "en": "Batch normalisation: the statistics per channel",
        "zh": "批量归一化：各通道的统计量",
    },
    "feedback.batch_normalization.batch_norm": {
        "en": "A batch of 16 examples of 3 channels of 6 x 6, channel k of mean 3 (k - 1) "
              "and standard deviation k + 1, through your batch_norm in training mode "
              "(gamma = 1, beta = 0). Left the mean, right the variance of each channel: "
              "before (light grey), after the book's (grey) and after yours (blue). After, "
              "every channel has mean 0 and variance 1.",
        "zh": "一个批量：16 个样本、3 个 6 x 6 的通道，第 k 个通道的均值为 3 (k - 1)、标准差为 "
              "k + 1，经过你的 batch_norm（训练模式，gamma = 1，beta = 0）。左图是各通道的均值，"
              "右图是方差：之前（浅灰）、书中的结果（灰）和你的结果（蓝）。之后每个通道的均值都是 "
              "0、方差都是 1。",
    },
    "feedback.batch_normalization.BatchNorm": {
        "en": "The moving averages of your BatchNorm(3, 4) over {steps} training steps on "
              "batches of the same distribution: left moving_mean, right moving_var, one "
              "line per channel, yours over the book's (dashed). Both start where the layer "
              "starts (0 and 1) and approach each channel's true mean, 3 (k - 1), and "
              "variance, (k + 1) ** 2; momentum 0.9 keeps 90% of the old average at each step.",
        "zh": "你的 BatchNorm(3, 4) 在同一分布的批量上训练 {steps} 步时的移动平均：左图是 "
              "moving_mean，右图是 moving_var，每个通道一条线，你的结果画在书中的结果（虚线）之上。"
              "两者都从层的初值（0 和 1）出发，逐渐接近每个通道真实的均值 3 (k - 1) 和方差 "
              "(k + 1) ** 2；momentum 为 0.9 时，每一步保留旧平均值的 90%。",
    },
    "feedback.batch_normalization.trusted": {
        "en": "batch_norm failed a test, so your BatchNorm runs with the book's batch_norm "
              "here: the picture shows your layer alone.",
        "zh": "batch_norm 没有通过测试，因此这里你的 BatchNorm 使用书中的 batch_norm：图中只反映"
              "你的层。",
    },
    "feedback.batch_normalization.stopped": {
        "en": "BatchNorm raised an error after {steps} steps: the curves stop there.",
        "zh": "BatchNorm 在 {steps} 步之后抛出了错误：曲线到此为止。",
    },
    # -- the notebook ------------------------------------------------------------------
    "course.batch_normalization.notes": {
        "en": "For a minibatch {B} of {m} examples, batch normalisation computes, per "
              "feature,\n\n{mean}\n\n{var}\n\n{xhat}\n\n{y}\n\nand, for prediction, moving "
              "averages of the batch statistics:\n\n{moving}\n\nAfter a convolutional layer "
              "each channel has one mean and one variance, over the {m} examples and all "
              "the positions of the channel.",
        "zh": "对由 {m} 个样本组成的小批量 {B}，批量归一化按特征计算\n\n{mean}\n\n{var}\n\n"
              "{xhat}\n\n{y}\n\n并为预测维护批量统计量的移动平均：\n\n{moving}\n\n"
              "在卷积层之后，每个通道只有一个均值和一个方差，在 {m} 个样本和该通道的所有位置上求得。",
    },
    "course.batch_normalization.intro": {"zh": """\
从零开始实现批量归一化：函数与层。

《动手学深度学习》“现代卷积神经网络”一章的“批量归一化”一节（1.0 版的 8.5 节；\
学习小组所用中文版的 5.10 节）。训练时，批量归一化用当前小批量的均值和方差对每个特征\
（卷积之后则是每个通道）做标准化，再用学到的 gamma 和 beta 拉伸和偏移；这让深层网络的中间输出\
保持稳定的尺度，使网络更容易训练。预测结果不应取决于同一小批量中还有哪些样本，\
所以预测时层使用统计量的移动平均，它们是在训练批量上估计出来的。"""},
    "course.batch_normalization.batch_norm.doc": {"zh": """\
对 X 做批量归一化，训练模式或预测模式。

训练模式（is_training 为真）：统计量取自小批量，对形状为 (m, d) 的 X 按特征求\
（在 m 个样本上，即第 0 维），对形状为 (m, c, h, w) 的 X 按通道求（在样本和所有位置上，\
即第 0、2、3 维：每个通道只有一个均值和一个方差）。方差是有偏方差，即 `(X - mean) ** 2` 的均值，\
除以元素个数而不是元素个数减一（torch.var 默认除以个数减一：unbiased=False 才是这里的方差）。\
`X_hat = (X - mean) / sqrt(var + eps)`，移动平均按书中的写法向批量的统计量移动：

    moving_mean = momentum * moving_mean + (1 - momentum) * 批量均值
    moving_var = momentum * moving_var + (1 - momentum) * 批量方差

BatchNorm 中 momentum = 0.9：旧的平均值保留 90% 的权重。（PyTorch 的 nn.BatchNorm2d 的 \
momentum 正好反过来，0.1 是新批量所占的份额：那是另一种约定。）

预测模式（is_training 为假）：X_hat = (X - moving_mean) / sqrt(moving_var + eps)，\
不使用批量自身的统计量，移动平均原样返回。

两种模式下 Y = gamma * X_hat + beta。

参数：
    is_training: 网络是否在训练（BatchNorm 传入 self.training）。
    X: 形状为 (m, d) 或 (m, c, h, w) 的输入，float32，任意设备。在网络中 X 是某一层的输出，\
所以自动求导会追踪它。
    gamma, beta: 拉伸和偏移参数，形状为 (1, d) 或 (1, c, 1, 1)，与 X 在同一设备上。
    moving_mean, moving_var: 移动平均，形状与 gamma 相同，与 X 在同一设备上。
    eps: 在平方根内加到方差上的数，例如 1e-5。
    momentum: 移动平均中旧值所占的份额，例如 0.9。

返回：
    (Y, moving_mean, moving_var)：Y 的形状、dtype 和设备与 X 相同，自动求导能经由它到达 X、\
gamma 和 beta；新的移动平均，形状与 gamma 相同，位于 X 所在设备上，并且与自动求导的计算图分离\
（由 mean.detach() 和 var.detach() 算出，或用 .detach() 返回）：它们是滑动统计量，不是要求导的\
结果，而一直连在图上的张量会留住每个批量的计算图。（本书的 PyTorch 版返回的是连在图上的张量；\
书的新版用 .data 把它们分离。）不修改 X、gamma、beta 和传入的移动平均。"""},
    "course.batch_normalization.BatchNorm.doc": {"zh": """\
批量归一化层，用于全连接层（num_dims=2）或卷积层（num_dims=4）的输出。

它保存学到的拉伸参数 gamma 和偏移参数 beta，以及预测时使用的移动平均；forward 以 \
self.training、eps=1e-5 和 momentum=0.9 调用 batch_norm，并保存它返回的移动平均。

参数：
    num_features: 全连接层的输出个数，或卷积层的输出通道数。
    num_dims: 全连接层为 2，卷积层为 4。

属性：
    gamma: 形状为 (1, num_features)（num_dims 为 2）或 (1, num_features, 1, 1)\
（num_dims 为 4）的 nn.Parameter，初始化为全 1。
    beta: 形状与 gamma 相同的 nn.Parameter，初始化为全 0。
    moving_mean: 形状与 gamma 相同的张量，初始化为全 0；不是参数（它从不被训练：像书中那样\
用普通属性，或者用缓冲区 self.register_buffer('moving_mean', ...)）。
    moving_var: 形状与 gamma 相同的张量，初始化为全 1（标准化后的输入的方差；本书的 PyTorch 版\
让它从全 0 开始，于是新建的层在预测模式下会除以 sqrt(eps)，约 0.003），不是参数。"""},
    "course.batch_normalization.BatchNorm.__init__.doc": {"zh": """\
创建 gamma、beta、moving_mean 和 moving_var（先调用 super().__init__()）。"""},
    "course.batch_normalization.BatchNorm.forward.doc": {"zh": """\
用 batch_norm 对 X 做归一化；保存它返回的移动平均。

层可能已用 net.to(device) 移动过：缓冲区会随之移动，普通属性不会，所以要先把普通属性的\
移动平均移到 X 所在的设备上（self.moving_mean = self.moving_mean.to(X.device)）。

参数：
    X: 形状为 (m, num_features) 或 (m, num_features, h, w) 的输入，float32，与层在同一设备上。

返回：
    形状与 X 相同、位于 X 所在设备上的 Y。"""},
}

KNOWN_ERRORS = [
    # The mean of a 4-d X over (0, 2, 3) without keepdim=True is of shape (c,), which
    # broadcasts along the last dimension of X, not along the channels.
    ("batch_norm", "must match the size of tensor b", "batch_norm.no_keepdim"),
    ("BatchNorm", "before Module.__init__() call", "batch_norm_layer.no_super_init"),
]

_BOOK_BATCH_NORM_HEAD = '''
def batch_norm(is_training, X, gamma, beta, moving_mean, moving_var, eps, momentum):
    if not is_training:
        X_hat = (X - moving_mean) / torch.sqrt(moving_var + eps)
    else:
'''

MISTAKES = [
    Mistake(name="per-example", function="batch_norm", key="batch_norm.per_example",
            code=_BOOK_BATCH_NORM_HEAD + '''
        if len(X.shape) == 2:
            mean = X.mean(dim=1, keepdim=True)
            var = ((X - mean) ** 2).mean(dim=1, keepdim=True)
        else:
            mean = X.mean(dim=(1, 2, 3), keepdim=True)
            var = ((X - mean) ** 2).mean(dim=(1, 2, 3), keepdim=True)
        X_hat = (X - mean) / torch.sqrt(var + eps)
        moving_mean = momentum * moving_mean + (1.0 - momentum) * mean.detach().mean()
        moving_var = momentum * moving_var + (1.0 - momentum) * var.detach().mean()
    Y = gamma * X_hat + beta
    return Y, moving_mean, moving_var
'''),
    Mistake(name="per-position", function="batch_norm", key="batch_norm.per_position",
            code=_BOOK_BATCH_NORM_HEAD + '''
        mean = X.mean(dim=0)
        var = ((X - mean) ** 2).mean(dim=0)
        X_hat = (X - mean) / torch.sqrt(var + eps)
        moving_mean = momentum * moving_mean + (1.0 - momentum) * mean.detach()
        moving_var = momentum * moving_var + (1.0 - momentum) * var.detach()
    Y = gamma * X_hat + beta
    return Y, moving_mean, moving_var
'''),
    Mistake(name="unbiased-variance", function="batch_norm", key="batch_norm.unbiased",
            code=_BOOK_BATCH_NORM_HEAD + '''
        dims = 0 if len(X.shape) == 2 else (0, 2, 3)
        mean = X.mean(dim=dims, keepdim=True)
        var = X.var(dim=dims, keepdim=True)
        X_hat = (X - mean) / torch.sqrt(var + eps)
        moving_mean = momentum * moving_mean + (1.0 - momentum) * mean.detach()
        moving_var = momentum * moving_var + (1.0 - momentum) * var.detach()
    Y = gamma * X_hat + beta
    return Y, moving_mean, moving_var
'''),
    Mistake(name="std-with-eps-outside", function="batch_norm", key="batch_norm.unbiased",
            code=_BOOK_BATCH_NORM_HEAD + '''
        dims = 0 if len(X.shape) == 2 else (0, 2, 3)
        mean = X.mean(dim=dims, keepdim=True)
        std = X.std(dim=dims, keepdim=True)
        X_hat = (X - mean) / (std + eps)
        moving_mean = momentum * moving_mean + (1.0 - momentum) * mean.detach()
        moving_var = momentum * moving_var + (1.0 - momentum) * std.detach() ** 2
    Y = gamma * X_hat + beta
    return Y, moving_mean, moving_var
'''),
    Mistake(name="eps-outside", function="batch_norm", key="batch_norm.eps",
            code=_BOOK_BATCH_NORM_HEAD + '''
        dims = 0 if len(X.shape) == 2 else (0, 2, 3)
        mean = X.mean(dim=dims, keepdim=True)
        var = ((X - mean) ** 2).mean(dim=dims, keepdim=True)
        X_hat = (X - mean) / (torch.sqrt(var) + eps)
        moving_mean = momentum * moving_mean + (1.0 - momentum) * mean.detach()
        moving_var = momentum * moving_var + (1.0 - momentum) * var.detach()
    Y = gamma * X_hat + beta
    return Y, moving_mean, moving_var
'''),
    Mistake(name="batch-statistics-returned", function="batch_norm",
            key="batch_norm.batch_statistic_returned", code=_BOOK_BATCH_NORM_HEAD + '''
        dims = 0 if len(X.shape) == 2 else (0, 2, 3)
        mean = X.mean(dim=dims, keepdim=True)
        var = ((X - mean) ** 2).mean(dim=dims, keepdim=True)
        X_hat = (X - mean) / torch.sqrt(var + eps)
        moving_mean, moving_var = mean.detach(), var.detach()
    Y = gamma * X_hat + beta
    return Y, moving_mean, moving_var
'''),
    Mistake(name="batch-statistics-when-predicting", function="batch_norm",
            key="batch_norm.batch_statistics_in_prediction", code='''
def batch_norm(is_training, X, gamma, beta, moving_mean, moving_var, eps, momentum):
    dims = 0 if len(X.shape) == 2 else (0, 2, 3)
    mean = X.mean(dim=dims, keepdim=True)
    var = ((X - mean) ** 2).mean(dim=dims, keepdim=True)
    X_hat = (X - mean) / torch.sqrt(var + eps)
    if is_training:
        moving_mean = momentum * moving_mean + (1.0 - momentum) * mean.detach()
        moving_var = momentum * moving_var + (1.0 - momentum) * var.detach()
    Y = gamma * X_hat + beta
    return Y, moving_mean, moving_var
'''),
    Mistake(name="pytorch-momentum", function="batch_norm", key="batch_norm.momentum",
            code=_BOOK_BATCH_NORM_HEAD + '''
        dims = 0 if len(X.shape) == 2 else (0, 2, 3)
        mean = X.mean(dim=dims, keepdim=True)
        var = ((X - mean) ** 2).mean(dim=dims, keepdim=True)
        X_hat = (X - mean) / torch.sqrt(var + eps)
        moving_mean = (1.0 - momentum) * moving_mean + momentum * mean.detach()
        moving_var = (1.0 - momentum) * moving_var + momentum * var.detach()
    Y = gamma * X_hat + beta
    return Y, moving_mean, moving_var
'''),
    # The book's port (lines wrapped): correct values, but the moving averages stay attached.
    Mistake(name="moving-averages-attached", function="batch_norm", key="batch_norm.attached",
            code=_BOOK_BATCH_NORM_HEAD + '''
        assert len(X.shape) in (2, 4)
        if len(X.shape) == 2:
            mean = X.mean(dim=0)
            var = ((X - mean) ** 2).mean(dim=0)
        else:
            mean = X.mean(dim=0, keepdim=True).mean(dim=2, keepdim=True).mean(
                dim=3, keepdim=True)
            var = ((X - mean) ** 2).mean(dim=0, keepdim=True).mean(dim=2, keepdim=True).mean(
                dim=3, keepdim=True)
        X_hat = (X - mean) / torch.sqrt(var + eps)
        moving_mean = momentum * moving_mean + (1.0 - momentum) * mean
        moving_var = momentum * moving_var + (1.0 - momentum) * var
    Y = gamma * X_hat + beta
    return Y, moving_mean, moving_var
'''),
    Mistake(name="no-keepdim", function="batch_norm", key="batch_norm.no_keepdim",
            code=_BOOK_BATCH_NORM_HEAD + '''
        dims = 0 if len(X.shape) == 2 else (0, 2, 3)
        mean = X.mean(dim=dims)
        var = ((X - mean) ** 2).mean(dim=dims)
        X_hat = (X - mean) / torch.sqrt(var + eps)
        moving_mean = momentum * moving_mean + (1.0 - momentum) * mean.detach()
        moving_var = momentum * moving_var + (1.0 - momentum) * var.detach()
    Y = gamma * X_hat + beta
    return Y, moving_mean, moving_var
'''),
    # The book's port's layer, verbatim but for super().__init__(): moving_var starts at 0.
    Mistake(name="moving-var-zeros", function="BatchNorm", key="batch_norm_layer.var_zeros",
            code='''
class BatchNorm(nn.Module):
    def __init__(self, num_features, num_dims):
        super(BatchNorm, self).__init__()
        if num_dims == 2:
            shape = (1, num_features)
        else:
            shape = (1, num_features, 1, 1)
        self.gamma = nn.Parameter(torch.ones(shape))
        self.beta = nn.Parameter(torch.zeros(shape))
        self.moving_mean = torch.zeros(shape)
        self.moving_var = torch.zeros(shape)

    def forward(self, X):
        if self.moving_mean.device != X.device:
            self.moving_mean = self.moving_mean.to(X.device)
            self.moving_var = self.moving_var.to(X.device)
        Y, self.moving_mean, self.moving_var = batch_norm(self.training,
            X, self.gamma, self.beta, self.moving_mean,
            self.moving_var, eps=1e-5, momentum=0.9)
        return Y
'''),
    Mistake(name="always-training", function="BatchNorm",
            key="batch_norm_layer.training_flag", code='''
class BatchNorm(nn.Module):
    def __init__(self, num_features, num_dims):
        super().__init__()
        shape = (1, num_features) if num_dims == 2 else (1, num_features, 1, 1)
        self.gamma = nn.Parameter(torch.ones(shape))
        self.beta = nn.Parameter(torch.zeros(shape))
        self.register_buffer("moving_mean", torch.zeros(shape))
        self.register_buffer("moving_var", torch.ones(shape))

    def forward(self, X):
        Y, self.moving_mean, self.moving_var = batch_norm(
            True, X, self.gamma, self.beta, self.moving_mean, self.moving_var,
            eps=1e-5, momentum=0.9)
        return Y
'''),
    Mistake(name="averages-not-kept", function="BatchNorm", key="batch_norm_layer.not_kept",
            code='''
class BatchNorm(nn.Module):
    def __init__(self, num_features, num_dims):
        super().__init__()
        shape = (1, num_features) if num_dims == 2 else (1, num_features, 1, 1)
        self.gamma = nn.Parameter(torch.ones(shape))
        self.beta = nn.Parameter(torch.zeros(shape))
        self.register_buffer("moving_mean", torch.zeros(shape))
        self.register_buffer("moving_var", torch.ones(shape))

    def forward(self, X):
        Y, _, _ = batch_norm(self.training, X, self.gamma, self.beta, self.moving_mean,
                             self.moving_var, eps=1e-5, momentum=0.9)
        return Y
'''),
    Mistake(name="eps-and-momentum-swapped", function="BatchNorm",
            key="batch_norm_layer.arguments_swapped", code='''
class BatchNorm(nn.Module):
    def __init__(self, num_features, num_dims):
        super().__init__()
        shape = (1, num_features) if num_dims == 2 else (1, num_features, 1, 1)
        self.gamma = nn.Parameter(torch.ones(shape))
        self.beta = nn.Parameter(torch.zeros(shape))
        self.register_buffer("moving_mean", torch.zeros(shape))
        self.register_buffer("moving_var", torch.ones(shape))

    def forward(self, X):
        Y, self.moving_mean, self.moving_var = batch_norm(
            self.training, X, self.gamma, self.beta, self.moving_mean, self.moving_var,
            0.9, 1e-5)
        return Y
'''),
    Mistake(name="averages-trained", function="BatchNorm",
            key="batch_norm_layer.moving_trained", code='''
class BatchNorm(nn.Module):
    def __init__(self, num_features, num_dims):
        super().__init__()
        shape = (1, num_features) if num_dims == 2 else (1, num_features, 1, 1)
        self.gamma = nn.Parameter(torch.ones(shape))
        self.beta = nn.Parameter(torch.zeros(shape))
        self.moving_mean = nn.Parameter(torch.zeros(shape))
        self.moving_var = nn.Parameter(torch.ones(shape))

    def forward(self, X):
        Y, moving_mean, moving_var = batch_norm(
            self.training, X, self.gamma, self.beta, self.moving_mean, self.moving_var,
            eps=1e-5, momentum=0.9)
        with torch.no_grad():
            self.moving_mean.copy_(moving_mean)
            self.moving_var.copy_(moving_var)
        return Y
'''),
]

FORMULAS = {
    "B": r"$\mathcal{B}$",
    "m": r"$m$",
    "mean": r"$$\boldsymbol{\mu}_\mathcal{B} = \frac{1}{m}\sum_{i=1}^{m} \mathbf{x}^{(i)},$$",
    "var": r"$$\boldsymbol{\sigma}_\mathcal{B}^2 = \frac{1}{m} \sum_{i=1}^{m}"
           r"(\mathbf{x}^{(i)} - \boldsymbol{\mu}_\mathcal{B})^2,$$",
    "xhat": r"$$\hat{\mathbf{x}}^{(i)} = \frac{\mathbf{x}^{(i)} - \boldsymbol{\mu}_\mathcal{B}}"
            r"{\sqrt{\boldsymbol{\sigma}_\mathcal{B}^2 + \epsilon}},$$",
    "y": r"$$\mathbf{y}^{(i)} = \boldsymbol{\gamma} \odot \hat{\mathbf{x}}^{(i)} + "
         r"\boldsymbol{\beta},$$",
    "moving": r"$$\hat{\boldsymbol{\mu}} \leftarrow \lambda \hat{\boldsymbol{\mu}} + "
              r"(1 - \lambda)\, \boldsymbol{\mu}_\mathcal{B}, \qquad "
              r"\hat{\boldsymbol{\sigma}}^2 \leftarrow \lambda \hat{\boldsymbol{\sigma}}^2 + "
              r"(1 - \lambda)\, \boldsymbol{\sigma}_\mathcal{B}^2 \quad (\lambda = "
              r"\mathrm{momentum} = 0.9)$$",
}

FUNCTION_FORMULAS = {
    "batch_norm": r"$\mathbf{Y} = \boldsymbol{\gamma} \odot \frac{\mathbf{X} - "
                  r"\boldsymbol{\mu}}{\sqrt{\boldsymbol{\sigma}^2 + \epsilon}} + "
                  r"\boldsymbol{\beta}$",
}
