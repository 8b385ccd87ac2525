// triage.js: the HAR triage page, for a support engineer or an admin with a
// HAR file exported earlier and no Control Hub open. It is the panel outside
// DevTools (panel.js: open or drop a file, progress, Cancel, findings,
// exports), in a whole tab; reachable from the panel's "Open in a tab" link
// and as the extension's options page.

import { t } from './dom.js';
import './panel.js';

document.title = t('triageTitle');
