"""Continues training from a finished bundle's network.

A bundle's ONNX graph holds each convolution with the batch norm after it folded
in, so the two cannot be told apart again. The network is loaded with every such
batch norm set to the identity plus the folded bias, and those batch norms stay
frozen (evaluation mode) while training goes on: at its first step the network
computes exactly what the bundle computed, and training adjusts the folded
convolutions themselves.
"""
import json
from pathlib import Path

import torch
import torch.nn as nn
from onnx import load as load_onnx
from onnx import numpy_helper

from .network import NucleiNet


def onnx_convolutions(onnx_path):
    """(weight, bias or None) of every Conv node, in graph order (the order it runs)."""
    graph = load_onnx(str(onnx_path)).graph
    arrays = {item.name: numpy_helper.to_array(item) for item in graph.initializer}
    convolutions = []
    for node in graph.node:
        if node.op_type != "Conv":
            continue
        bias = arrays[node.input[2]] if len(node.input) > 2 else None
        convolutions.append((arrays[node.input[1]], bias))
    return convolutions


def execution_order(model, tile_px=64):
    """The model's convolutions and batch norms in the order a forward pass runs them."""
    order = []
    layers = [m for m in model.modules() if isinstance(m, (nn.Conv2d, nn.BatchNorm2d))]
    hooks = [m.register_forward_hook(lambda module, _i, _o: order.append(module)) for m in layers]
    model.eval()
    with torch.no_grad():
        model(torch.zeros(1, 3, tile_px, tile_px))
    for hook in hooks:
        hook.remove()
    return order


def set_identity_norm(norm, shift):
    """Makes an evaluation-mode batch norm add `shift` and nothing else."""
    with torch.no_grad():
        norm.weight.fill_(1.0)
        norm.bias.copy_(shift)
        norm.running_mean.zero_()
        norm.running_var.fill_(1.0 - norm.eps)


def convolution_pairs(order):
    """Each convolution with the batch norm that directly follows it, or None."""
    pairs = []
    for index, layer in enumerate(order):
        if isinstance(layer, nn.Conv2d):
            following = order[index + 1] if index + 1 < len(order) else None
            pairs.append((layer, following if isinstance(following, nn.BatchNorm2d) else None))
    return pairs


def load_folded(model, onnx_path):
    """Loads a folded ONNX graph of the same architecture into `model`."""
    pairs = convolution_pairs(execution_order(model))
    folded = onnx_convolutions(onnx_path)
    if len(pairs) != len(folded):
        raise ValueError(f"the graph has {len(folded)} convolutions, the network {len(pairs)}")
    for (conv, norm), (weight, bias) in zip(pairs, folded):
        if tuple(conv.weight.shape) != weight.shape:
            raise ValueError(f"shape {weight.shape} does not fit {tuple(conv.weight.shape)}")
        with torch.no_grad():
            conv.weight.copy_(torch.tensor(weight))
        shift = torch.tensor(bias) if bias is not None else torch.zeros(weight.shape[0])
        if norm is not None:
            set_identity_norm(norm, shift)
        elif conv.bias is not None:
            with torch.no_grad():
                conv.bias.copy_(shift)
    return model


def warm_start_model(bundle_folder):
    """A NucleiNet holding the network of the bundle in `bundle_folder`."""
    return load_folded(NucleiNet(), Path(bundle_folder) / "model.onnx")


def bundle_splits(bundle_folder):
    """The tile splits the bundle was trained and calibrated with."""
    calibration = json.loads((Path(bundle_folder) / "calibration.json").read_text())
    return {source: by_split for source, by_split in calibration["splits"].items() if isinstance(by_split, dict)}


def freeze_batch_norms(model):
    """Puts every batch norm in evaluation mode; call after each `model.train()`."""
    for module in model.modules():
        if isinstance(module, nn.BatchNorm2d):
            module.eval()
