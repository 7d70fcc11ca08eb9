"""Compact HoVer-style encoder-decoder for nuclei on CPU.

Full-resolution stages are kept narrow because they dominate the cost per
tile; capacity sits in the 1/8 and 1/16 stages where pixels are few.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

NP_CHANNELS = 2
HV_CHANNELS = 2
NT_CHANNELS = 5


class ConvBnAct(nn.Sequential):
    def __init__(self, in_ch, out_ch, kernel=3, stride=1):
        super().__init__(
            nn.Conv2d(in_ch, out_ch, kernel, stride, kernel // 2, bias=False),
            nn.BatchNorm2d(out_ch),
            nn.ReLU(inplace=True),
        )


class SeparableResidual(nn.Module):
    """Depthwise 3x3 then pointwise, with an identity shortcut."""

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
    """Two plain 3x3 convolutions; used only at the coarsest stages."""

    def __init__(self, ch):
        super().__init__()
        self.conv1 = ConvBnAct(ch, ch)
        self.conv2 = nn.Sequential(nn.Conv2d(ch, ch, 3, 1, 1, bias=False), nn.BatchNorm2d(ch))

    def forward(self, x):
        return F.relu(x + self.conv2(self.conv1(x)))


def encoder_stage(in_ch, out_ch, dense_blocks, separable_blocks):
    layers = [ConvBnAct(in_ch, out_ch, stride=2)]
    layers += [DenseResidual(out_ch) for _ in range(dense_blocks)]
    layers += [SeparableResidual(out_ch, d) for d in (1, 2)[:separable_blocks]]
    return nn.Sequential(*layers)


class DecoderStage(nn.Module):
    """Upsample, merge the skip connection, refine."""

    def __init__(self, in_ch, skip_ch, out_ch, separable=True):
        super().__init__()
        self.merge = ConvBnAct(in_ch + skip_ch, out_ch, kernel=1 if separable else 3)
        self.refine = SeparableResidual(out_ch) if separable else nn.Identity()

    def forward(self, x, skip):
        x = F.interpolate(x, size=skip.shape[-2:], mode="bilinear", align_corners=False)
        return self.refine(self.merge(torch.cat([x, skip], dim=1)))


class NucleiNet(nn.Module):
    """Outputs np logits, hv maps, nt logits and a pooled bottleneck embedding."""

    def __init__(self, widths=(16, 32, 64, 128, 192)):
        super().__init__()
        w0, w1, w2, w3, w4 = widths
        self.stem = ConvBnAct(3, w0)
        self.enc1 = encoder_stage(w0, w1, 0, 1)
        self.enc2 = encoder_stage(w1, w2, 0, 2)
        self.enc3 = encoder_stage(w2, w3, 1, 1)
        self.enc4 = encoder_stage(w3, w4, 2, 0)
        self.dec3 = DecoderStage(w4, w3, w3)
        self.dec2 = DecoderStage(w3, w2, w2)
        self.dec1 = DecoderStage(w2, w1, w1)
        self.dec0 = DecoderStage(w1, w0, w0, separable=False)
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
