/**
 * Shaders of the nuclei layer. One program draws outlines, fills and points (as
 * `gl.POINTS` of `u_pointSizePx`, which only point draws read). Class colours live in a uniform array, so toggling a class in
 * the legend changes a uniform, never a buffer. A second program draws the density
 * texture as one quad.
 */

/** Most classes the colour table holds (background + PanNuke's five fit many times). */
export const MAX_CLASSES = 32;

export const NUCLEI_VERTEX_SHADER = `#version 300 es
in vec2 a_base;
in float a_class;
uniform vec4 u_baseToClip;
uniform float u_pointSizePx;
uniform vec4 u_classColors[${MAX_CLASSES}];
out vec4 v_color;
void main() {
  gl_Position = vec4(a_base * u_baseToClip.xy + u_baseToClip.zw, 0.0, 1.0);
  gl_PointSize = u_pointSizePx;
  v_color = u_classColors[int(a_class + 0.5)];
}`;

export const NUCLEI_FRAGMENT_SHADER = `#version 300 es
precision mediump float;
in vec4 v_color;
uniform float u_opacity;
out vec4 outColor;
void main() {
  if (v_color.a <= 0.0) discard;
  outColor = vec4(v_color.rgb, v_color.a * u_opacity);
}`;

export const DENSITY_VERTEX_SHADER = `#version 300 es
in vec2 a_unit;
uniform vec4 u_baseToClip;
uniform vec4 u_gridBase;
out vec2 v_uv;
void main() {
  vec2 base = u_gridBase.xy + a_unit * u_gridBase.zw;
  gl_Position = vec4(base * u_baseToClip.xy + u_baseToClip.zw, 0.0, 1.0);
  v_uv = a_unit;
}`;

export const DENSITY_FRAGMENT_SHADER = `#version 300 es
precision mediump float;
in vec2 v_uv;
uniform sampler2D u_density;
uniform float u_opacity;
out vec4 outColor;
void main() {
  vec4 texel = texture(u_density, v_uv);
  if (texel.a <= 0.0) discard;
  outColor = vec4(texel.rgb, texel.a * u_opacity);
}`;
