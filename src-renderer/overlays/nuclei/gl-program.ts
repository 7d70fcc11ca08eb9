/** Compiling and linking WebGL2 programs with errors that say which shader failed. */

/** Thrown when the browser has no WebGL2 or a shader does not compile. */
export class WebGlUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebGlUnavailableError';
  }
}

function compileShader(
  gl: WebGL2RenderingContext,
  type: number,
  source: string,
): WebGLShader {
  const shader = gl.createShader(type);
  if (!shader) throw new WebGlUnavailableError('WebGL could not create a shader.');
  gl.shaderSource(shader, source);
  gl.compileShader(shader);
  if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS)) {
    const log = gl.getShaderInfoLog(shader) ?? 'no log';
    gl.deleteShader(shader);
    const kind = type === gl.VERTEX_SHADER ? 'vertex' : 'fragment';
    throw new WebGlUnavailableError(`The ${kind} shader did not compile: ${log}`);
  }
  return shader;
}

/** A linked program with its attribute and uniform locations looked up by name. */
export interface LinkedProgram {
  program: WebGLProgram;
  attribute(name: string): number;
  uniform(name: string): WebGLUniformLocation;
}

/** Compiles and links a vertex and fragment shader pair. */
export function linkProgram(
  gl: WebGL2RenderingContext,
  sources: { vertex: string; fragment: string },
): LinkedProgram {
  const program = gl.createProgram();
  const vertex = compileShader(gl, gl.VERTEX_SHADER, sources.vertex);
  const fragment = compileShader(gl, gl.FRAGMENT_SHADER, sources.fragment);
  gl.attachShader(program, vertex);
  gl.attachShader(program, fragment);
  gl.linkProgram(program);
  gl.deleteShader(vertex);
  gl.deleteShader(fragment);
  if (!gl.getProgramParameter(program, gl.LINK_STATUS)) {
    throw new WebGlUnavailableError(
      `Linking failed: ${gl.getProgramInfoLog(program) ?? ''}`,
    );
  }

  return {
    program,
    attribute: (name) => gl.getAttribLocation(program, name),
    uniform: (name) => {
      const location = gl.getUniformLocation(program, name);
      if (location === null) throw new WebGlUnavailableError(`No uniform ${name}.`);
      return location;
    },
  };
}
