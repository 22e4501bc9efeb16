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

export class GraphBuilder {
  private readonly nodes: InstanceType<typeof onnx.NodeProto>[] = [];
  private readonly initializers: InstanceType<typeof onnx.TensorProto>[] = [];
  private counter = 0;

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
    const valueInfo = (v: ValueSpec) =>
      new onnx.ValueInfoProto({
        name: v.name,
        type: new onnx.TypeProto({
          tensorType: new onnx.TypeProto.Tensor({
            elemType: ELEM[v.type],
            shape: new onnx.TensorShapeProto({
              dim: v.shape.map((d) => (typeof d === 'number' ? new onnx.TensorShapeProto.Dimension({ dimValue: d }) : new onnx.TensorShapeProto.Dimension({ dimParam: d }))),
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
    const model = new onnx.ModelProto({
      irVersion: 8,
      producerName: 'fieldlens-tiny-model-builder',
      producerVersion: '1',
      docString,
      graph,
      opsetImport: [new onnx.OperatorSetIdProto({ domain: '', version: OPSET })],
    });
    return onnx.ModelProto.encode(model).finish();
  }
}
