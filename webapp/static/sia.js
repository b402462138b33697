// Starts every GOV.UK Frontend component on the page (error summary focus, checkboxes, ...).
import { initAll } from "./govuk/govuk-frontend.min.js";

initAll();
