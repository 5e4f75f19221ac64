import { ProtoWriter } from './protobuf-writer.js';

/** onnx.proto TensorProto.DataType.FLOAT and TypeProto.Tensor element type. */
const FLOAT = 1;

interface Initializer {
  name: string;
  dims: number[];
  values: number[];
}

function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648 - 0.5;
  };
}

function tensorValueInfo(w: ProtoWriter, name: string, dims: (number | string)[]): void {
  // ValueInfoProto { name = 1; type = 2 } → TypeProto { tensor_type = 1 } → Tensor { elem_type = 1; shape = 2 }
  w.string(1, name).message(2, (type) =>
    type.message(1, (tensor) =>
      tensor.int(1, FLOAT).message(2, (shape) => {
        for (const dim of dims) shape.message(1, (d) => (typeof dim === 'number' ? d.int(1, dim) : d.string(2, dim)));
      }),
    ),
  );
}

/**
 * A small, valid ONNX model (opset 13): a two-layer classifier
 * input[N,16] → MatMul(W1) → Add(b1) → Relu → MatMul(W2) → Add(b2) → Softmax → probs[N,4],
 * with its weights as initializers — enough for Netron to draw a real graph.
 */
export function buildDemoOnnxModel(): Buffer {
  const random = seeded(42);
  const initializers: Initializer[] = [
    { name: 'W1', dims: [16, 32], values: Array.from({ length: 16 * 32 }, () => random() * 0.5) },
    { name: 'b1', dims: [32], values: Array.from({ length: 32 }, () => random() * 0.1) },
    { name: 'W2', dims: [32, 4], values: Array.from({ length: 32 * 4 }, () => random() * 0.5) },
    { name: 'b2', dims: [4], values: Array.from({ length: 4 }, () => random() * 0.1) },
  ];
  const nodes: [string, string, string[], string[]][] = [
    ['MatMul', 'fc1_matmul', ['input', 'W1'], ['fc1_mm']],
    ['Add', 'fc1_add', ['fc1_mm', 'b1'], ['fc1_out']],
    ['Relu', 'relu1', ['fc1_out'], ['relu1_out']],
    ['MatMul', 'fc2_matmul', ['relu1_out', 'W2'], ['fc2_mm']],
    ['Add', 'fc2_add', ['fc2_mm', 'b2'], ['logits']],
    ['Softmax', 'softmax', ['logits'], ['probs']],
  ];
  const model = new ProtoWriter()
    .int(1, 7) // ir_version
    .string(2, 'oneservice-demo') // producer_name
    .string(3, '1.0') // producer_version
    .message(7, (graph) => {
      // GraphProto { node = 1; name = 2; initializer = 5; input = 11; output = 12 }
      for (const [op, name, inputs, outputs] of nodes) {
        graph.message(1, (node) => {
          // NodeProto { input = 1; output = 2; name = 3; op_type = 4; attribute = 5 }
          for (const i of inputs) node.string(1, i);
          for (const o of outputs) node.string(2, o);
          node.string(3, name).string(4, op);
          if (op === 'Softmax') node.message(5, (attr) => attr.string(1, 'axis').int(3, 1).int(20, 2)); // AttributeProto INT
        });
      }
      graph.string(2, 'demo_classifier');
      for (const init of initializers) {
        graph.message(5, (tensor) => {
          // TensorProto { dims = 1; data_type = 2; name = 8; raw_data = 9 }
          for (const d of init.dims) tensor.int(1, d);
          tensor.int(2, FLOAT).string(8, init.name);
          const raw = Buffer.alloc(init.values.length * 4);
          init.values.forEach((v, i) => raw.writeFloatLE(v, i * 4));
          tensor.bytes(9, raw);
        });
      }
      graph.message(11, (w) => tensorValueInfo(w, 'input', ['N', 16]));
      graph.message(12, (w) => tensorValueInfo(w, 'probs', ['N', 4]));
    })
    .message(8, (opset) => opset.string(1, '').int(2, 13)); // opset_import { domain = ""; version = 13 }
  return model.finish();
}
