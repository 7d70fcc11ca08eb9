import { NucleusExtractor } from './src-main/nuclei/nucleus-extractor';
import { discMaps } from './tests/main/nuclei/synthetic-maps';
console.log('start');
const ex = await NucleusExtractor.create({ params: { npThreshold: 0.5, minAreaPx: 10, markerThreshold: 0.4, markerMinAreaPx: 10 }, npTemperature: 1, ntTemperature: 1 });
console.log('created');
const r = ex.extract(discMaps(96, [{ centreX: 40, centreY: 40, radiusPx: 10, classIndex: 3 }, { centreX: 58, centreY: 40, radiusPx: 10, classIndex: 2 }]));
console.log(JSON.stringify(r.nuclei.map(n => ({...n, contourTilePx: n.contourTilePx.length}))));
