import { loadOpenCv } from './src-main/nuclei/opencv';
process.on('exit', (c) => console.log('exit', c));
console.log('a');
try { const cv = await loadOpenCv(); console.log('ok', typeof cv.Mat); } catch (e) { console.log('err', e); }
