//! The member chatbot: models, classification (batch with the GIL released),
//! slots and masking, routing; structured results as JSON text that
//! `memberkit/intent.py` turns into Python objects.

use crate::convert::Day;
use crate::errors::to_py;
use memberkit::intent::{
    Classification, Conversation, Example, Model, Router as CoreRouter, RouterConfig, Scratch,
    TrainConfig, default_model as shipped_model, slots::SlotExtractor, train,
};
use memberkit::json::{from_json, to_json};
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use std::sync::Arc;

type Alternatives = Vec<(String, f32)>;
type Result3 = (String, f32, Alternatives);

fn owned(result: Classification<'_>) -> Result3 {
    let alternatives = result
        .alternatives
        .iter()
        .map(|a| (a.intent.to_owned(), a.confidence))
        .collect();
    (result.intent.to_owned(), result.confidence, alternatives)
}

fn extractor(member_number_pattern: Option<&str>) -> PyResult<SlotExtractor> {
    match member_number_pattern {
        Some(pattern) => SlotExtractor::with_member_number_pattern(pattern).map_err(to_py),
        None => Ok(SlotExtractor::default()),
    }
}

/// An intent model; immutable and shared freely between threads.
#[pyclass(frozen, module = "memberkit._memberkit", name = "IntentModel")]
pub(crate) struct IntentModel(Arc<Model>);

impl IntentModel {
    /// The model, shared.
    pub(crate) fn shared(&self) -> Arc<Model> {
        Arc::clone(&self.0)
    }
}

#[pymethods]
impl IntentModel {
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<Self> {
        Model::from_bytes(data)
            .map(|m| IntentModel(Arc::new(m)))
            .map_err(to_py)
    }

    #[staticmethod]
    fn from_json(json: &str) -> PyResult<Self> {
        let model: Model = from_json(json, "intent model").map_err(to_py)?;
        Ok(IntentModel(Arc::new(model)))
    }

    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.0.to_bytes())
    }

    fn to_json(&self) -> String {
        to_json(&*self.0)
    }

    #[getter]
    fn intents(&self) -> Vec<String> {
        self.0.intents().to_vec()
    }

    #[getter]
    fn threshold(&self) -> f32 {
        self.0.threshold()
    }

    fn classify(&self, text: &str) -> PyResult<Result3> {
        self.0.classify(text).map(owned).map_err(to_py)
    }

    fn classify_batch(&self, py: Python<'_>, texts: Vec<String>) -> PyResult<Vec<Result3>> {
        let model = Arc::clone(&self.0);
        py.detach(move || {
            let mut scratch = Scratch::default();
            texts
                .iter()
                .map(|text| model.classify_with(&mut scratch, text).map(owned))
                .collect::<Result<Vec<_>, _>>()
        })
        .map_err(to_py)
    }

    fn evaluate_json(&self, py: Python<'_>, examples_json: &str) -> PyResult<String> {
        let examples: Vec<Example> = from_json(examples_json, "examples").map_err(to_py)?;
        let model = Arc::clone(&self.0);
        let evaluation = py
            .detach(move || model.evaluate(&examples))
            .map_err(to_py)?;
        Ok(to_json(&evaluation))
    }

    fn retrain_json(&self, py: Python<'_>, examples_json: &str) -> PyResult<IntentModel> {
        let examples: Vec<Example> = from_json(examples_json, "examples").map_err(to_py)?;
        let model = Arc::clone(&self.0);
        let retrained = py.detach(move || model.retrain(&examples)).map_err(to_py)?;
        Ok(IntentModel(Arc::new(retrained)))
    }
}

/// The shipped bilingual membership-inquiry model.
#[pyfunction]
fn default_model() -> PyResult<IntentModel> {
    shipped_model()
        .map(|m| IntentModel(Arc::new(m)))
        .map_err(to_py)
}

/// Trains a model with the GIL released.
#[pyfunction]
fn train_json(py: Python<'_>, examples_json: &str, config_json: &str) -> PyResult<IntentModel> {
    let examples: Vec<Example> = from_json(examples_json, "examples").map_err(to_py)?;
    let config: TrainConfig = from_json(config_json, "training config").map_err(to_py)?;
    let model = py
        .detach(move || train(&examples, &config))
        .map_err(to_py)?;
    Ok(IntentModel(Arc::new(model)))
}

/// The slots in `text`, as JSON.
#[pyfunction]
#[pyo3(signature = (text, reference_date, member_number_pattern = None))]
fn extract_slots_json(
    text: &str,
    reference_date: Day,
    member_number_pattern: Option<&str>,
) -> PyResult<String> {
    Ok(to_json(
        &extractor(member_number_pattern)?.extract(text, reference_date.0),
    ))
}

/// `text` with emails, phones and member numbers masked.
#[pyfunction]
#[pyo3(signature = (text, member_number_pattern = None))]
fn mask(text: &str, member_number_pattern: Option<&str>) -> PyResult<String> {
    Ok(extractor(member_number_pattern)?.mask(text))
}

/// A chatbot router: a model, slot extraction and routing rules; immutable.
#[pyclass(frozen, module = "memberkit._memberkit", name = "Router")]
pub(crate) struct Router(CoreRouter);

#[pymethods]
impl Router {
    #[new]
    #[pyo3(signature = (model, config_json, member_number_pattern = None))]
    fn new(
        model: &IntentModel,
        config_json: &str,
        member_number_pattern: Option<&str>,
    ) -> PyResult<Self> {
        let config: RouterConfig = from_json(config_json, "router config").map_err(to_py)?;
        let router = CoreRouter::new(
            (*model.0).clone(),
            extractor(member_number_pattern)?,
            config,
        )
        .map_err(to_py)?;
        Ok(Router(router))
    }

    fn route_json(
        &self,
        conversation_json: Option<&str>,
        message: &str,
        verified: bool,
        today: Day,
    ) -> PyResult<String> {
        let conversation: Conversation = match conversation_json {
            Some(json) => from_json(json, "conversation").map_err(to_py)?,
            None => Conversation::default(),
        };
        Ok(to_json(&self.0.route(
            &conversation,
            message,
            verified,
            today.0,
        )))
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("MAX_TEXT_BYTES", memberkit::intent::MAX_TEXT_BYTES)?;
    m.add("MAX_EXAMPLES", memberkit::intent::MAX_EXAMPLES)?;
    m.add_class::<IntentModel>()?;
    m.add_class::<Router>()?;
    m.add_function(wrap_pyfunction!(default_model, m)?)?;
    m.add_function(wrap_pyfunction!(train_json, m)?)?;
    m.add_function(wrap_pyfunction!(extract_slots_json, m)?)?;
    m.add_function(wrap_pyfunction!(mask, m)?)?;
    Ok(())
}
