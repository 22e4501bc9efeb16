/**
 * A minimal ONNX graph builder over onnx-proto (protobuf classes generated from onnx.proto).
 * Used only by the scripts that build FieldLens's tiny test models; the app never imports it.
 * Opset 17 is what onnxruntime-web 1.30 supports on both the WebGPU and WASM providers.
 */
import onnxProto from 'onnx-proto';
import { float32ToFloat16Bits } from '../../src/core/features/float16.ts';

const { onnx } = onnxProto;

export const OPSET = 17;
export type ElemType = 'float32' | 'int64' | 'float16';
const ELEM: Record<ElemType, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  int64: onnx.TensorProto.DataType.INT64,
  float16: onnx.TensorProto.DataType.FLOAT16,
};

/** A dimension: a fixed size or a symbolic name such as "N" or "batch". */
export type Dim = number | string;

export interface ValueSpec {
  readonly name: string;
  readonly type: ElemType;
  readonly shape: readonly Dim[];
}

export type AttrValue = number | readonly number[] | string;

/** An initializer whose bytes are produced only while the model is written (see `writeStreaming`). */
export interface DeclaredTensor {
  readonly name: string;
  readonly type: ElemType;
  readonly dims: readonly number[];
}

const ELEM_BYTES: Record<ElemType, number> = { float32: 4, int64: 8, float16: 2 };

export class GraphBuilder {
  private readonly nodes: InstanceType<typeof onnx.NodeProto>[] = [];
  private readonly initializers: InstanceType<typeof onnx.TensorProto>[] = [];
  private readonly declared: DeclaredTensor[] = [];
  private counter = 0;

  /**
   * Declares a large initializer (weights): its raw bytes are asked for one tensor at a time by
   * `writeStreaming`, so a 350 MB model never exists as one buffer or as protobuf objects.
   */
  declare(name: string, type: ElemType, dims: readonly number[]): string {
    this.declared.push({ name, type, dims });
    return name;
  }

  /** Adds a float32, float16 or int64 constant tensor and returns its name. */
  constant(name: string, type: ElemType, dims: readonly number[], values: ArrayLike<number>): string {
    const size = dims.reduce((a, b) => a * b, 1);
    if (values.length !== size) throw new Error(`constant ${name}: ${values.length} values for shape [${dims.join(', ')}]`);
    const tensor = new onnx.TensorProto({ name, dims: [...dims], dataType: ELEM[type] });
    // raw_data is little-endian per the ONNX spec; typed arrays on every target FieldLens runs on are LE.
    const raw =
      type === 'float32'
        ? new Float32Array(Array.from(values))
        : type === 'float16'
          ? Uint16Array.from(Array.from(values), float32ToFloat16Bits)
          : BigInt64Array.from(Array.from(values), (v) => BigInt(v));
    tensor.rawData = new Uint8Array(raw.buffer);
    this.initializers.push(tensor);
    return name;
  }

  /** Adds a node; returns the names of its outputs (generated when not given). */
  node(opType: string, inputs: readonly string[], attrs: Record<string, AttrValue> = {}, outputs?: readonly string[]): string {
    const outs = outputs ?? [`${opType.toLowerCase()}_${this.counter++}`];
    const attribute = Object.entries(attrs).map(([name, v]) => {
      if (typeof v === 'string') return new onnx.AttributeProto({ name, type: onnx.AttributeProto.AttributeType.STRING, s: new TextEncoder().encode(v) });
      if (typeof v === 'number') {
        return Number.isInteger(v)
          ? new onnx.AttributeProto({ name, type: onnx.AttributeProto.AttributeType.INT, i: v })
          : new onnx.AttributeProto({ name, type: onnx.AttributeProto.AttributeType.FLOAT, f: v });
      }
      return new onnx.AttributeProto({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: [...v] });
    });
    this.nodes.push(new onnx.NodeProto({ opType, input: [...inputs], output: [...outs], attribute, name: `${opType}_${this.counter++}` }));
    return outs[0] as string;
  }

  /** Serialises the graph as an ONNX ModelProto. */
  build(graphName: string, inputs: readonly ValueSpec[], outputs: readonly ValueSpec[], docString: string): Uint8Array {
    if (this.declared.length > 0) throw new Error(`build: ${this.declared.length} declared tensors need writeStreaming`);
    return onnx.ModelProto.encode(this.model(graphName, inputs, outputs, docString)).finish();
  }

  /**
   * Writes the model through `write` in pieces: the protobuf of everything but the declared
   * tensors, then each declared tensor as an initializer whose raw_data comes from `fill` (called
   * once per tensor, in declaration order). Protobuf lengths are computed up front, so the bytes
   * are one valid ModelProto, identical in meaning to `build` with those constants.
   */
  writeStreaming(
    graphName: string,
    inputs: readonly ValueSpec[],
    outputs: readonly ValueSpec[],
    docString: string,
    fill: (tensor: DeclaredTensor) => Uint8Array,
    write: (bytes: Uint8Array) => void,
  ): void {
    const model = this.model(graphName, inputs, outputs, docString);
    const graph = model.graph!;
    model.graph = null;
    const modelCore = onnx.ModelProto.encode(model).finish();
    const graphCore = onnx.GraphProto.encode(graph).finish();
    const headers = this.declared.map((t) =>
      onnx.TensorProto.encode(new onnx.TensorProto({ name: t.name, dims: [...t.dims], dataType: ELEM[t.type] })).finish(),
    );
    const rawLengths = this.declared.map((t) => t.dims.reduce((a, b) => a * b, 1) * ELEM_BYTES[t.type]);
    const tensorLengths = headers.map((h, k) => h.length + 1 + varint(rawLengths[k]!).length + rawLengths[k]!);
    const graphLength = graphCore.length + tensorLengths.reduce((sum, len) => sum + 1 + varint(len).length + len, 0);
    write(modelCore);
    write(Uint8Array.of(GRAPH_TAG, ...varint(graphLength)));
    write(graphCore);
    this.declared.forEach((tensor, k) => {
      const raw = fill(tensor);
      if (raw.length !== rawLengths[k]) throw new Error(`tensor ${tensor.name}: ${raw.length} bytes, expected ${rawLengths[k]}`);
      write(Uint8Array.of(INITIALIZER_TAG, ...varint(tensorLengths[k]!)));
      write(headers[k]!);
      write(Uint8Array.of(RAW_DATA_TAG, ...varint(rawLengths[k])));
      write(raw);
    });
  }

  private model(graphName: string, inputs: readonly ValueSpec[], outputs: readonly ValueSpec[], docString: string) {
    const valueInfo = (v: ValueSpec) =>
      new onnx.ValueInfoProto({
        name: v.name,
        type: new onnx.TypeProto({
          tensorType: new onnx.TypeProto.Tensor({
            elemType: ELEM[v.type],
            shape: new onnx.TensorShapeProto({
              dim: v.shape.map((d) =>
                typeof d === 'number' ? new onnx.TensorShapeProto.Dimension({ dimValue: d }) : new onnx.TensorShapeProto.Dimension({ dimParam: d }),
              ),
            }),
          }),
        }),
      });
    const graph = new onnx.GraphProto({
      name: graphName,
      node: this.nodes,
      initializer: this.initializers,
      input: inputs.map(valueInfo),
      output: outputs.map(valueInfo),
    });
    return new onnx.ModelProto({
      irVersion: 8,
      producerName: 'fieldlens-tiny-model-builder',
      producerVersion: '1',
      docString,
      graph,
      opsetImport: [new onnx.OperatorSetIdProto({ domain: '', version: OPSET })],
    });
  }
}

// Protobuf field tags (field number << 3 | wire type 2, length-delimited) of onnx.proto.
const GRAPH_TAG = (7 << 3) | 2; // ModelProto.graph
const INITIALIZER_TAG = (5 << 3) | 2; // GraphProto.initializer
const RAW_DATA_TAG = (9 << 3) | 2; // TensorProto.raw_data

/** Protobuf base-128 varint of a non-negative integer (lengths up to 2^53). */
function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return out;
}
