// Handlers of the wrong shape are errors at the part that is wrong. A handler of the right shape
// with the wrong types, or whose future is not `Send`, is left to rustc, whose errors land on the
// parameter's type and the handler's name.
include!("petstore_api.rs");

struct Backend;

#[oas_macros::handlers(spec = "petstore.yaml", api = api)]
impl Backend {
    fn list_pets(&self, _request: api::ListPetsRequest) -> api::ListPetsResponse {
        api::ListPetsResponse::Ok
    }

    async fn create_pet(
        &mut self,
        _request: api::CreatePetRequest,
        _parts: oas_runtime::server::RequestParts,
        _extra: u32,
    ) -> api::CreatePetResponse {
        api::CreatePetResponse::Created
    }

    async fn delete_pet(&self, _request: api::ListPetsRequest) -> api::ListPetsResponse {
        api::ListPetsResponse::Ok
    }
}

struct RcBackend;

#[oas_macros::handlers(spec = "petstore.yaml", api = api, partial)]
impl RcBackend {
    async fn list_pets(&self, _request: api::ListPetsRequest) -> api::ListPetsResponse {
        let rc = std::rc::Rc::new(1);
        std::future::ready(()).await;
        drop(rc);
        api::ListPetsResponse::Ok
    }
}

fn main() {}
