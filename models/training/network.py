"""Compact HoVer-style encoder-decoder for nuclei on CPU.

The cost of a convolution grows with the pixels it runs on, so the
full-resolution stages are narrow and use depthwise-separable blocks, skip
connections are added rather than concatenated, and the parameters sit at the
1/8 and 1/16 stages where pixels are few. One shared decoder feeds three
1x1 heads (np, hv, nt), which keeps a 256 px tile near 0.4 GMAC.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

NP_CHANNELS = 2
HV_CHANNELS = 2
NT_CHANNELS = 5
DEFAULT_WIDTHS = (16, 32, 64, 128, 192)


class ConvBnAct(nn.Sequential):
    def __init__(self, in_ch, out_ch, kernel=3, stride=1):
        super().__init__(
            nn.Conv2d(in_ch, out_ch, kernel, stride, kernel // 2, bias=False),
            nn.BatchNorm2d(out_ch),
            nn.ReLU(inplace=True),
        )


class SeparableDown(nn.Sequential):
    """Stride-2 depthwise 3x3 then pointwise widening."""

    def __init__(self, in_ch, out_ch):
        super().__init__(
            nn.Conv2d(in_ch, in_ch, 3, 2, 1, groups=in_ch, bias=False),
            nn.BatchNorm2d(in_ch),
            ConvBnAct(in_ch, out_ch, kernel=1),
        )


class SeparableResidual(nn.Module):
    """Depthwise 3x3 (optionally dilated) then pointwise, with identity shortcut."""

    def __init__(self, ch, dilation=1):
        super().__init__()
        self.depthwise = nn.Conv2d(ch, ch, 3, 1, dilation, dilation, groups=ch, bias=False)
        self.bn1 = nn.BatchNorm2d(ch)
        self.pointwise = nn.Conv2d(ch, ch, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(ch)

    def forward(self, x):
        y = F.relu(self.bn1(self.depthwise(x)))
        return F.relu(x + self.bn2(self.pointwise(y)))


class DenseResidual(nn.Module):
    """Two plain 3x3 convolutions; affordable only at the 1/16 stage."""

    def __init__(self, ch):
        super().__init__()
        self.conv1 = ConvBnAct(ch, ch)
        self.conv2 = nn.Sequential(nn.Conv2d(ch, ch, 3, 1, 1, bias=False), nn.BatchNorm2d(ch))

    def forward(self, x):
        return F.relu(x + self.conv2(self.conv1(x)))


def separable_stack(ch, dilations):
    return [SeparableResidual(ch, d) for d in dilations]


class DecoderStage(nn.Module):
    """Narrow the coarse map, upsample, add the skip, refine."""

    def __init__(self, in_ch, out_ch):
        super().__init__()
        self.narrow = ConvBnAct(in_ch, out_ch, kernel=1)
        self.refine = SeparableResidual(out_ch)

    def forward(self, x, skip):
        x = F.interpolate(self.narrow(x), scale_factor=2.0, mode="bilinear", align_corners=False)
        return self.refine(x + skip)


class NucleiNet(nn.Module):
    """Outputs np logits, hv maps in [-1, 1], nt logits and a pooled embedding."""

    def __init__(self, widths=DEFAULT_WIDTHS, dense_bottleneck=True):
        super().__init__()
        w0, w1, w2, w3, w4 = widths
        self.stem = ConvBnAct(3, w0)
        self.enc1 = nn.Sequential(SeparableDown(w0, w1), *separable_stack(w1, [1]))
        self.enc2 = nn.Sequential(SeparableDown(w1, w2), *separable_stack(w2, [1, 2]))
        self.enc3 = nn.Sequential(SeparableDown(w2, w3), *separable_stack(w3, [1, 2, 4]))
        bottleneck = [DenseResidual(w4)] if dense_bottleneck else []
        self.enc4 = nn.Sequential(
            SeparableDown(w3, w4), *bottleneck, *separable_stack(w4, [1, 2, 4])
        )
        self.dec3 = DecoderStage(w4, w3)
        self.dec2 = DecoderStage(w3, w2)
        self.dec1 = DecoderStage(w2, w1)
        self.dec0 = DecoderStage(w1, w0)
        self.np_head = nn.Conv2d(w0, NP_CHANNELS, 1)
        self.hv_head = nn.Conv2d(w0, HV_CHANNELS, 1)
        self.nt_head = nn.Conv2d(w0, NT_CHANNELS, 1)
        self.embedding_dim = w4

    def forward(self, image):
        s0 = self.stem(image)
        s1 = self.enc1(s0)
        s2 = self.enc2(s1)
        s3 = self.enc3(s2)
        s4 = self.enc4(s3)
        x = self.dec0(self.dec1(self.dec2(self.dec3(s4, s3), s2), s1), s0)
        embedding = s4.mean(dim=(2, 3))
        return self.np_head(x), torch.tanh(self.hv_head(x)), self.nt_head(x), embedding


def count_parameters(model):
    return sum(p.numel() for p in model.parameters())
