"""Seeded, resumable training with validation-based model selection.

A run folder holds `last.pt` (written every few minutes, resumed from on
restart), `best.pt` (highest validation PQ) and `train.log` (JSON lines).
"""
import json
import math
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import torch

from .augment import LOW_RESOLUTION_PROBABILITY
from .crops import CropSampler
from .losses import total_loss
from .network import NucleiNet
from .validation import evaluate
from .warm_start import freeze_batch_norms, warm_start_model

SOURCE_WEIGHTS = {"monuseg": 0.5, "consep": 0.35, "pannuke-demo": 0.15}


@dataclass
class TrainConfig:
    steps: int = 2000
    batch_size: int = 8
    crop_px: int = 256
    seed: int = 20261203
    learning_rate: float = 2e-3
    weight_decay: float = 1e-4
    warmup_steps: int = 100
    validate_every: int = 100
    checkpoint_seconds: float = 180.0
    deadline_unix: float = math.inf
    init_from: str = ""  # a bundle folder whose network training continues from
    low_resolution_share: float = LOW_RESOLUTION_PROBABILITY  # crops degraded as a 20x scan
    source_weights: dict = field(default_factory=lambda: dict(SOURCE_WEIGHTS))


def learning_rate(config, step, time_progress=0.0):
    """Linear warm-up, then cosine decay to 2 % of the peak.

    Progress is the larger of the step fraction and the fraction of the time
    to the deadline already used, so a run on a busy machine still anneals
    before it is stopped.
    """
    if step < config.warmup_steps:
        return config.learning_rate * (step + 1) / config.warmup_steps
    progress = (step - config.warmup_steps) / max(1, config.steps - config.warmup_steps)
    progress = max(progress, time_progress)
    return config.learning_rate * (0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * min(progress, 1.0))))


class RunLog:
    def __init__(self, run_dir):
        self.path = Path(run_dir) / "train.log"

    def write(self, event, **fields):
        record = {"time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "event": event, **fields}
        with open(self.path, "a") as handle:
            handle.write(json.dumps(record) + "\n")


def save_checkpoint(path, model, optimizer, state):
    temporary = Path(str(path) + ".tmp")
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), **state}, temporary)
    temporary.replace(path)


def restore(run_dir, model, optimizer, sampler):
    """Loads last.pt when present; returns (next step, best score, seconds trained)."""
    path = Path(run_dir) / "last.pt"
    if not path.exists():
        return 0, -1.0, 0.0, time.time()
    saved = torch.load(path)
    model.load_state_dict(saved["model"])
    optimizer.load_state_dict(saved["optimizer"])
    sampler.rng.bit_generator.state = saved["sampler_state"]
    torch.set_rng_state(saved["torch_rng"])
    return saved["step"], saved["best_score"], saved["seconds"], saved["started_unix"]


def train_step(model, optimizer, batch, lr, frozen_norms=False):
    for group in optimizer.param_groups:
        group["lr"] = lr
    model.train()
    if frozen_norms:
        freeze_batch_norms(model)
    loss, parts = total_loss(model(batch["image"]), batch)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return float(loss), parts


class Trainer:
    def __init__(self, config, train_tiles, val_tiles, run_dir):
        torch.manual_seed(config.seed)
        self.config, self.val_tiles, self.run_dir = config, val_tiles, Path(run_dir)
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.model = warm_start_model(config.init_from) if config.init_from else NucleiNet()
        self.optimizer = torch.optim.AdamW(
            self.model.parameters(), lr=config.learning_rate, weight_decay=config.weight_decay
        )
        self.sampler = CropSampler(
            train_tiles, config.source_weights, config.crop_px, config.seed, config.low_resolution_share
        )
        self.log = RunLog(run_dir)
        restored = restore(run_dir, self.model, self.optimizer, self.sampler)
        self.step, self.best_score, self.seconds, self.started_unix = restored

    def state(self):
        return {
            "step": self.step,
            "best_score": self.best_score,
            "seconds": self.seconds,
            "started_unix": self.started_unix,
            "sampler_state": self.sampler.rng.bit_generator.state,
            "torch_rng": torch.get_rng_state(),
            "config": asdict(self.config),
        }

    def validate(self):
        summary = evaluate(self.model, self.val_tiles)
        self.log.write("validation", step=self.step, **summary)
        if summary["selection_pq"] > self.best_score:
            self.best_score = summary["selection_pq"]
            save_checkpoint(self.run_dir / "best.pt", self.model, self.optimizer, self.state())
        return summary

    def time_progress(self):
        span = self.config.deadline_unix - self.started_unix
        return 0.0 if math.isinf(span) else (time.time() - self.started_unix) / span

    def is_due(self, step):
        return step % self.config.validate_every == 0 or step == self.config.steps

    def run(self):
        """Trains to config.steps (or the deadline) and returns the best checkpoint's path."""
        self.log.write("start", step=self.step, config=asdict(self.config))
        last_save = time.time()
        while self.step < self.config.steps and time.time() < self.config.deadline_unix:
            started = time.time()
            lr = learning_rate(self.config, self.step, self.time_progress())
            batch = self.sampler.batch(self.config.batch_size)
            loss, parts = train_step(self.model, self.optimizer, batch, lr, bool(self.config.init_from))
            self.step += 1
            self.seconds += time.time() - started
            if self.step % 10 == 0:
                self.log.write("train", step=self.step, loss=loss, lr=lr, seconds=self.seconds, **parts)
            if self.is_due(self.step):
                self.validate()
            if time.time() - last_save > self.config.checkpoint_seconds:
                save_checkpoint(self.run_dir / "last.pt", self.model, self.optimizer, self.state())
                last_save = time.time()
        self.finish()
        return self.run_dir / "best.pt"

    def finish(self):
        if not (self.run_dir / "best.pt").exists() or not self.is_due(self.step):
            self.validate()
        save_checkpoint(self.run_dir / "last.pt", self.model, self.optimizer, self.state())
        self.log.write("done", step=self.step, seconds=self.seconds, best_score=self.best_score)


def load_model(checkpoint_path):
    model = NucleiNet()
    model.load_state_dict(torch.load(checkpoint_path)["model"])
    return model.eval()
