/** The small part of dcmjs (which ships no types) that the DICOM reader uses. */
declare module 'dcmjs' {
  interface DicomDict {
    meta: Record<string, { Value?: unknown[] }>;
    dict: Record<string, unknown>;
  }
  const dcmjs: {
    data: {
      DicomMessage: {
        readFile(
          buffer: ArrayBuffer,
          options?: { untilTag?: string; includeUntilTagValue?: boolean },
        ): DicomDict;
      };
      DicomMetaDictionary: {
        naturalizeDataset(dict: Record<string, unknown>): Record<string, unknown>;
      };
    };
    log: { setLevel(level: string): void };
  };
  export default dcmjs;
}
