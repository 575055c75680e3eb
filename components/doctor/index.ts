// The Connection Doctor in the browser: the checklist panel, and the request a Diagnose button makes.
export { DoctorPanel } from './DoctorPanel';
export { requestDiagnosis } from './request';
