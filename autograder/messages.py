"""Every sentence the grader writes, in English and Simplified Chinese.

A check raises Diagnosis(key, **params); the report renders it in the reader's language.
Keep each message in the student's terms: what is wrong, and what to do about it.
"""

from __future__ import annotations

import locale
import os
from typing import Any

LANGUAGES = ("en", "zh")

CATALOGUE: dict[str, dict[str, str]] = {
    # -- how a call went -------------------------------------------------------------
    "not_implemented": {
        "en": "{function} is not implemented yet (it raises NotImplementedError).",
        "zh": "{function} 还没有实现（它抛出了 NotImplementedError）。",
    },
    "raised": {
        "en": "{function} raised {error_type}: {error}{where}",
        "zh": "{function} 抛出了 {error_type}：{error}{where}",
    },
    "where": {
        "en": " ({file}, line {line}: `{code}`)",
        "zh": "（{file} 第 {line} 行：`{code}`）",
    },
    "missing_module": {
        "en": "{file} is missing from the submission.",
        "zh": "提交中缺少 {file}。",
    },
    "missing_function": {
        "en": "{file} does not define {function}.",
        "zh": "{file} 没有定义 {function}。",
    },
    "import_failed": {
        "en": "{file} could not be imported: {error_type}: {error}{where}",
        "zh": "无法导入 {file}：{error_type}：{error}{where}",
    },
    "import_exit": {
        "en": "{file} could not be imported: the worker {ending} while importing it.",
        "zh": "无法导入 {file}：导入时学生进程{ending}。",
    },
    "import_timeout": {
        "en": "{file} could not be imported: importing it timed out after {seconds:g} s "
              "(an infinite loop or a long computation at module level?).",
        "zh": "无法导入 {file}：导入超过 {seconds:g} 秒（模块顶层有死循环或耗时计算？）。",
    },
    "timeout": {
        "en": "{function} timed out after {seconds:g} s (an infinite loop?).",
        "zh": "{function} 运行超过 {seconds:g} 秒，已超时（是否有死循环？）。",
    },
    "crashed": {
        "en": "{function} stopped the worker: it {ending}.",
        "zh": "{function} 使学生进程终止：{ending}。",
    },
    "ending_code": {"en": "exited with code {code}", "zh": "以退出码 {code} 退出"},
    "ending_signal": {"en": "was killed by {signal}", "zh": "被信号 {signal} 杀死"},
    "garbled": {
        "en": "{function} returned something the grader could not read: {reason}.",
        "zh": "{function} 返回了评分器无法读取的内容：{reason}。",
    },
    "system_exit": {
        "en": "{function} called sys.exit() / exit(){where}: return a value instead.",
        "zh": "{function} 调用了 sys.exit() / exit(){where}：请改为返回结果。",
    },
    "out_of_memory": {
        "en": "{function} ran out of memory{where}: it allocates far more than the inputs need.",
        "zh": "{function} 内存不足{where}：它分配的内存远超输入所需。",
    },
    # -- what came back --------------------------------------------------------------
    "wrong_type": {
        "en": "{what} should be a {expected}, but {function} returned {actual}.",
        "zh": "{what}应当是 {expected}，但 {function} 返回了 {actual}。",
    },
    "tensor_subclass": {
        "en": "{what} should be a plain torch.Tensor, but {function} returned a {actual} "
              "(a subclass of torch.Tensor).",
        "zh": "{what}应当是普通的 torch.Tensor，但 {function} 返回了 {actual}（torch.Tensor 的子类）。",
    },
    "wrong_shape": {
        "en": "{what} has shape {actual}, expected {expected}.",
        "zh": "{what}的形状是 {actual}，应为 {expected}。",
    },
    "wrong_dtype": {
        "en": "{what} has dtype {actual}, expected {expected}.",
        "zh": "{what}的数据类型是 {actual}，应为 {expected}。",
    },
    "wrong_device": {
        "en": "{what} is on device {actual}, but the inputs were on {expected}: create new "
              "tensors on the inputs' device (e.g. torch.zeros(..., device=X.device)).",
        "zh": "{what}在设备 {actual} 上，但输入在 {expected} 上：新建张量时请放到输入所在的设备"
              "（例如 torch.zeros(..., device=X.device)）。",
    },
    "wrong_values": {
        "en": "{what} has wrong values: {mismatched} of {total} elements differ "
              "(largest difference {max_abs:.3g} at index {index}: got {actual:.6g}, "
              "expected {expected:.6g}).",
        "zh": "{what}的数值错误：{total} 个元素中有 {mismatched} 个不对"
              "（最大差值 {max_abs:.3g}，位于下标 {index}：得到 {actual:.6g}，应为 {expected:.6g}）。",
    },
    "not_finite": {
        "en": "{what} contains nan or inf where the correct result is finite.",
        "zh": "{what}中出现了 nan 或 inf，而正确结果是有限值。",
    },
    "modified_input": {
        "en": "{function} modified its input {argument} in place: compute a new tensor instead.",
        "zh": "{function} 原地修改了输入 {argument}：请计算并返回新的张量。",
    },
    "should_return_none": {
        "en": "{function} should return None (it works in place), but it returned {actual}.",
        "zh": "{function} 应当返回 None（它原地修改参数），但返回了 {actual}。",
    },
    # -- linear regression -----------------------------------------------------------
    "sgd.not_divided": {
        "en": "The step is batch_size times too large: divide the gradient by batch_size "
              "(param.grad is the sum of the gradients of the batch_size examples).",
        "zh": "更新步长大了 batch_size 倍：梯度要除以 batch_size"
              "（param.grad 是 batch_size 个样本梯度之和）。",
    },
    "sgd.divided_twice": {
        "en": "The step is batch_size times too small: the gradient is divided by batch_size "
              "twice. Divide it once.",
        "zh": "更新步长小了 batch_size 倍：梯度被除了两次 batch_size，只需除一次。",
    },
    "sgd.rebinds": {
        "en": "sgd did not change the caller's tensors: `param = param - ...` only rebinds "
              "the loop variable. Update in place: `param -= lr * param.grad / batch_size` "
              "inside `with torch.no_grad():`.",
        "zh": "sgd 没有改变调用者的张量：`param = param - ...` 只是让循环变量指向新张量。"
              "请在 `with torch.no_grad():` 中原地更新：`param -= lr * param.grad / batch_size`。",
    },
    "sgd.leaf_in_place": {
        "en": "PyTorch refuses to change a leaf tensor that requires grad in place while "
              "autograd is recording. Do the update inside `with torch.no_grad():` (or "
              "on param.data).",
        "zh": "在 autograd 记录计算图时，PyTorch 不允许原地修改需要梯度的叶子张量。"
              "请把更新写在 `with torch.no_grad():` 里（或对 param.data 操作）。",
    },
    "sgd.replaced_param": {
        "en": "After sgd, {name} is no longer a leaf tensor that requires grad: update its "
              "values in place instead of replacing or detaching it.",
        "zh": "sgd 之后 {name} 不再是需要梯度的叶子张量：请原地更新它的数值，不要替换或 detach 它。",
    },
    "sgd.wrong_step": {
        "en": "{name} after one sgd step is wrong: expected param - lr * param.grad / "
              "batch_size.",
        "zh": "sgd 一步之后 {name} 的值不对：应为 param - lr * param.grad / batch_size。",
    },
    "sgd.changed_grad": {
        "en": "sgd changed param.grad to something other than zero: leave the gradients "
              "alone (or zero them, as d2l-zh does).",
        "zh": "sgd 把 param.grad 改成了非零的其他值：请不要改动梯度（或像 d2l-zh 那样清零）。",
    },
    "train_epoch.non_scalar_backward": {
        "en": "train_epoch calls backward() on a loss with one value per example: "
              "sum it first, `loss(net(X, *params), y).sum().backward()`.",
        "zh": "train_epoch 对每个样本一个值的损失调用了 backward()：请先求和，"
              "`loss(net(X, *params), y).sum().backward()`。",
    },
    "train_epoch.never_zeroes": {
        "en": "train_epoch never zeroes the gradients, so they accumulate across batches: "
              "at batch {batch} the updater saw the sum of the gradients of batches 1 to "
              "{batch}. Zero every param.grad after the update (param.grad.zero_()).",
        "zh": "train_epoch 从不清零梯度，梯度会跨批次累加：第 {batch} 批时更新函数看到的是第 1 到第 "
              "{batch} 批梯度之和。请在每次更新后清零 param.grad（param.grad.zero_()）。",
    },
    "train_epoch.zeroes_before_update": {
        "en": "train_epoch zeroes the gradients before the update, so the updater sees only "
              "zeros and nothing is learned: zero them after updater(...) (or before "
              "backward()).",
        "zh": "train_epoch 在更新之前就把梯度清零了，更新函数只看到零，模型学不到东西："
              "请在 updater(...) 之后（或 backward() 之前）清零。",
    },
    "train_epoch.mean_loss": {
        "en": "train_epoch averages the loss before backward(), so the gradient is "
              "batch_size times too small (the updater divides by batch_size again): "
              "sum it with .sum().",
        "zh": "train_epoch 在 backward() 前对损失取了平均，梯度小了 batch_size 倍"
              "（更新函数还会再除以 batch_size）：请用 .sum() 求和。",
    },
    "train_epoch.update_count": {
        "en": "train_epoch called the updater {actual} times for {expected} minibatches: "
              "call it once per minibatch.",
        "zh": "train_epoch 对 {expected} 个小批量调用了 {actual} 次更新函数：每个小批量应调用一次。",
    },
    "train_epoch.updater_arguments": {
        "en": "train_epoch called updater(params, {lr}, {batch_size}); expected "
              "updater(params, lr, batch_size) with lr={expected_lr}, "
              "batch_size={expected_batch_size}.",
        "zh": "train_epoch 调用了 updater(params, {lr}, {batch_size})；应为 "
              "updater(params, lr, batch_size)，其中 lr={expected_lr}，"
              "batch_size={expected_batch_size}。",
    },
    "train_epoch.wrong_gradient": {
        "en": "At batch {batch} the updater saw the wrong gradient: compute "
              "loss(net(X, *params), y).sum() for that batch and call backward() on it.",
        "zh": "第 {batch} 批时更新函数看到的梯度不对：请对这一批计算 "
              "loss(net(X, *params), y).sum() 并对它调用 backward()。",
    },
    "squared_loss.broadcast": {
        "en": "squared_loss returned shape {actual} for y_hat {y_hat_shape} and y "
              "{y_shape}: y_hat - y broadcast to (n, n). Reshape y first: "
              "y.reshape(y_hat.shape).",
        "zh": "y_hat 形状为 {y_hat_shape}、y 形状为 {y_shape} 时 squared_loss 返回了形状 "
              "{actual}：y_hat - y 被广播成了 (n, n)。请先 y.reshape(y_hat.shape)。",
    },
    "squared_loss.no_half": {
        "en": "squared_loss is twice the expected value: divide by 2, "
              "(y_hat - y) ** 2 / 2.",
        "zh": "squared_loss 的值是正确值的两倍：请除以 2，即 (y_hat - y) ** 2 / 2。",
    },
    "squared_loss.reduced": {
        "en": "squared_loss returned a single number (a {reduction}), but it should return "
              "one loss per example, shaped like y_hat: leave the reduction to the caller.",
        "zh": "squared_loss 返回了一个数（{reduction}），但应当返回每个样本各自的损失，"
              "形状与 y_hat 相同：求和或平均交给调用者。",
    },
    "data_iter.missing": {
        "en": "data_iter skipped {count} example(s) in one epoch (e.g. example {example}): "
              "every example must appear exactly once.",
        "zh": "data_iter 在一个轮次中漏掉了 {count} 个样本（例如第 {example} 个）：每个样本必须恰好出现一次。",
    },
    "data_iter.repeated": {
        "en": "data_iter yielded example {example} {times} times in one epoch: every "
              "example must appear exactly once.",
        "zh": "data_iter 在一个轮次中把第 {example} 个样本给出了 {times} 次：每个样本必须恰好出现一次。",
    },
    "data_iter.dropped_last": {
        "en": "data_iter dropped the short last batch ({count} examples): keep it, "
              "the last batch may be shorter than batch_size.",
        "zh": "data_iter 丢掉了最后那个不满的小批量（{count} 个样本）：请保留它，最后一批可以小于 batch_size。",
    },
    "data_iter.not_shuffled": {
        "en": "data_iter reads the examples in their stored order: shuffle the indices "
              "(torch.randperm) so each minibatch is a random sample.",
        "zh": "data_iter 按存储顺序读取样本：请打乱下标（torch.randperm），让每个小批量都是随机样本。",
    },
    "data_iter.same_order": {
        "en": "data_iter gives the same order in every epoch: shuffle inside data_iter, each "
              "time it is called, not once at import.",
        "zh": "data_iter 每个轮次的顺序都一样：请在 data_iter 每次被调用时打乱，而不是在导入时只打乱一次。",
    },
    "data_iter.batch_size": {
        "en": "data_iter yielded a batch of {actual} examples where {expected} were "
              "expected: all batches but the last hold batch_size examples.",
        "zh": "data_iter 给出了含 {actual} 个样本的小批量，应为 {expected} 个：除最后一批外每批都应有 "
              "batch_size 个样本。",
    },
    "data_iter.mismatched_pairs": {
        "en": "data_iter pairs features with the wrong labels: index features and labels "
              "with the same indices.",
        "zh": "data_iter 把特征和错误的标签配在了一起：请用同一组下标去取 features 和 labels。",
    },
    "data_iter.not_pairs": {
        "en": "data_iter should yield (X, y) pairs of tensors, but it yielded {actual}.",
        "zh": "data_iter 应当产出 (X, y) 张量对，但它产出了 {actual}。",
    },
    # -- the report ------------------------------------------------------------------
    "skipped_no_cuda": {"en": "skipped: no CUDA device", "zh": "已跳过：没有 CUDA 设备"},
    "report.total": {
        "en": "Total: {score:g} / {max_score:g} ({percent:.1f}%)",
        "zh": "总分：{score:g} / {max_score:g}（{percent:.1f}%）",
    },
    "report.points": {"en": "points", "zh": "得分"},
    "report.pass": {"en": "pass", "zh": "通过"},
    "report.fail": {"en": "FAIL", "zh": "未通过"},
    "report.skipped": {"en": "skipped", "zh": "跳过"},
    "report.failures": {"en": "What to fix:", "zh": "需要修改的地方："},
    "report.output": {"en": "your code printed:", "zh": "你的代码输出了："},
    "grader_error": {
        "en": "The grader itself failed on this test ({error}); please report it.",
        "zh": "评分器本身在这个测试上出错（{error}），请报告此问题。",
    },
}


class Diagnosis(AssertionError):
    """A failed check, with the catalogue key of its explanation and the values it needs."""

    def __init__(self, key: str, **params: Any):
        super().__init__(key)
        self.key = key
        self.params = params

    def render(self, lang: str = "en") -> str:
        return render(self.key, lang, **self.params)

    def __str__(self) -> str:
        return self.render("en")


def render(key: str, lang: str = "en", **params: Any) -> str:
    """The message `key` in `lang`, with nested Diagnosis parameters rendered too."""
    entry = CATALOGUE[key]
    text = entry.get(lang) or entry["en"]
    values = {k: v.render(lang) if isinstance(v, Diagnosis) else v for k, v in params.items()}
    return text.format(**values)


def default_language() -> str:
    """zh where the locale says Chinese, en everywhere else."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(variable)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    code = locale.getlocale()[0] or ""
    return "zh" if code.lower().startswith("zh") else "en"
