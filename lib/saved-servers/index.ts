// The saved-servers API's logic (routes under app/api/servers): the store's servers as views without secret
// values, saving from the connect form, importing a config file, exporting a client's snippet, connecting through
// the session registry. Server-side only (the pure reading and writing is lib/servers).
export {
  connectSaved,
  exportSaved,
  forgetSaved,
  importConfig,
  listSaved,
  saveFromForm,
  updateSaved,
  viewServer,
  viewTarget,
  type Answer,
} from './service';
