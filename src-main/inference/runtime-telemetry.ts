/**
 * Turns off ONNX Runtime's own telemetry, for this process and the children it
 * starts. ONNX Runtime for Node (1.30) includes Microsoft's telemetry SDK on Linux
 * and macOS: by default the first session a process creates writes a persistent
 * device identifier and a queue of events (processor, operating system, memory,
 * network type, the model's producer) under
 * `~/.cache/Microsoft/DeveloperTools/.onnxruntime/`, plus an empty
 * `/tmp/mat-debug-<pid>.log`, and would upload the queue whenever a network is
 * reachable. A review workstation sends nothing anywhere and keeps no identifier
 * it did not choose to keep, so the runtime's documented opt-out is set before the
 * library loads: with `ORT_DISABLE_TELEMETRY=1` no uploader starts and none of
 * those files is created (checked by a test). The runtime reads the variable once,
 * when its environment is created; provider-probe children inherit it.
 *
 * Every module that imports `onnxruntime-node` imports this module first.
 */
process.env.ORT_DISABLE_TELEMETRY = '1';

/** Whether ONNX Runtime was told to collect nothing (always, once this is loaded). */
export function isRuntimeTelemetryDisabled(): boolean {
  return process.env.ORT_DISABLE_TELEMETRY === '1';
}
